namespace FleetHealth.Server.Ingestion;

/// <summary>A heartbeat that is not known to be durable: the caller answers 503 and the sensor retries.</summary>
public sealed class IngestUnavailableException : Exception
{
    public IngestUnavailableException()
    {
    }

    public IngestUnavailableException(string message) : base(message)
    {
    }

    public IngestUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
