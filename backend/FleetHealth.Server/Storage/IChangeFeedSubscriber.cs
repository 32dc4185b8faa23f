namespace FleetHealth.Server.Storage;

/// <summary>
/// A receiver of PostgreSQL notifications on one channel, through this node's single
/// <see cref="ChangeFeedListener"/> connection. Calls come from the listener's thread and must
/// return quickly (hand work off, do not query the database inline).
/// </summary>
internal interface IChangeFeedSubscriber
{
    /// <summary>The channel to LISTEN on (a constant identifier).</summary>
    string Channel { get; }

    /// <summary>One notification's payload.</summary>
    void OnNotification(string payload);

    /// <summary>The listener listens (first time, or again after a loss): notifications may have been missed before this.</summary>
    void OnListening();

    /// <summary>The listener's connection was lost; it is reconnecting.</summary>
    void OnLost();
}
