namespace FleetHealth.Fleet;

/// <summary>
/// Published on the actor system's event stream by a sensor whose journal or snapshot store failed,
/// instead of a log line per actor: during a database outage thousands of sensors fail at once,
/// and the host reports them as one outage (its storage outage log) rather than one stack trace each.
/// </summary>
/// <param name="Kind">What failed, as counted in the outage's summary, e.g. "actor recoveries failed".</param>
/// <param name="PersistenceId">The sensor's journal stream.</param>
/// <param name="Cause">The journal's or snapshot store's exception.</param>
public sealed record SensorStorageFailed(string Kind, string PersistenceId, Exception Cause)
{
    public const string Recovery = "actor recoveries failed";
    public const string Write = "journal writes failed";
    public const string Snapshot = "snapshots failed";
}
