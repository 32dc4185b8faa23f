namespace FleetHealth.Server.IngestKeys;

/// <summary>Claims of a request authenticated by an ingest key.</summary>
public static class IngestKeyClaims
{
    /// <summary>The key's id: the rate limiter's partition and what logs name.</summary>
    public const string KeyId = "fleethealth:ingest-key";

    /// <summary>Present when the key is scoped to one tag: heartbeats only for sensors that carry it.</summary>
    public const string Tag = "fleethealth:ingest-tag";
}
