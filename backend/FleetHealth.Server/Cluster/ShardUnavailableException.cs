namespace FleetHealth.Server.Cluster;

/// <summary>
/// A message could not be delivered to its shard's owner before its deadline (the shard was between
/// owners, its owner unreachable, or this node cut off from the database). It was not handled, or
/// its outcome is unknown: the caller answers 503 with Retry-After, never a success.
/// </summary>
public sealed class ShardUnavailableException : Exception
{
    public ShardUnavailableException()
    {
    }

    public ShardUnavailableException(string message) : base(message)
    {
    }

    public ShardUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
