namespace FleetHealth.Server.IngestKeys;

/// <summary>Body of <c>POST /api/v1/ingest-keys</c>: a name for people, and optionally the one tag the key is limited to.</summary>
public sealed record NewIngestKeyBody(string? Name, string? Tag);

/// <summary>A new key: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record IngestKeyCreated(string KeyId, string Name, string? Tag, DateTimeOffset CreatedAt, string CreatedBy, string Key);

public sealed record IngestKeyList(IReadOnlyList<IngestKeyView> Items);
