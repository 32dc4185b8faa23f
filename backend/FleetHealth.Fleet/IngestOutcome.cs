namespace FleetHealth.Fleet;

/// <summary>How a submitted heartbeat ended.</summary>
public enum IngestOutcome
{
    /// <summary>Durable: it is in the journal and survives any crash from here on.</summary>
    Accepted,

    /// <summary>Same sensor and sequence number as one already accepted: acknowledged, not counted twice.</summary>
    Duplicate,

    /// <summary>The sensor is not provisioned and the fleet does not auto-register.</summary>
    UnknownSensor,

    /// <summary>Refused: the ingest key is limited to a tag this (known) sensor does not carry.</summary>
    OutOfScope,
}
