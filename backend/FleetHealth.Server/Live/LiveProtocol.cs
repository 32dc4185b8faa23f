using System.Text.Json.Serialization;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Sensors;

namespace FleetHealth.Server.Live;

// The websocket protocol (docs/websocket.md). Every server message is a JSON object whose "type"
// names it; field names are camelCase.

/// <summary>A sensor row as the live feed carries it (a compact subset of <see cref="SensorView"/>).</summary>
public sealed record LiveSensor(
    string Id,
    string Status,
    DateTimeOffset? Since,
    DateTimeOffset? LastSeen,
    long Count,
    IReadOnlyList<string> Tags,
    double MeanInterval,
    long LostBeats);

/// <summary>One liveness transition (a row of <c>state_changes</c>).</summary>
public sealed record LiveTransition(long Id, string SensorId, string From, string To, DateTimeOffset At, string? Reason);

/// <summary>A client's subscription filter; null fields match everything.</summary>
public sealed record LiveFilter(string? State, string? Tag, string? Text)
{
    public static readonly LiveFilter All = new(null, null, null);

    /// <summary>Same meaning as the filters of <c>GET /api/v1/sensors</c>: text is a case-insensitive substring of the id.</summary>
    public bool Matches(LiveSensor sensor) =>
        (State is null || string.Equals(sensor.Status, State, StringComparison.Ordinal))
        && (Tag is null || sensor.Tags.Contains(Tag, StringComparer.Ordinal))
        && (Text is null || sensor.Id.Contains(Text, StringComparison.OrdinalIgnoreCase));

    [JsonIgnore]
    public string Key => $"{State}\u0001{Tag}\u0001{Text}";

    public static bool TryCreate(string? state, string? tag, string? text, out LiveFilter filter, out string? error)
    {
        filter = All;
        error = state is not null && !SensorFilter.States.Contains(state, StringComparer.Ordinal)
            ? $"state must be one of {string.Join(", ", SensorFilter.States)}."
            : tag is not null && !SensorTag.IsValid(tag, out var tagError) ? tagError
            : text is { Length: 0 or > SensorFilter.MaxTextLength } ? $"text must be 1 to {SensorFilter.MaxTextLength} characters."
            : null;
        if (error is null)
        {
            filter = new LiveFilter(state, tag, text);
        }

        return error is null;
    }
}

/// <summary>First message of a connection and of every (re)subscription: replaces everything the client holds.</summary>
public sealed record SnapshotMessage(
    long SnapshotId,
    string Reason,
    DateTimeOffset At,
    bool Live,
    LiveFilter Filter,
    IReadOnlyDictionary<string, long> Counts,
    long Total,
    long Matched,
    int Limit,
    bool Truncated,
    IReadOnlyList<LiveSensor> Sensors,
    bool Complete)
{
    [JsonPropertyOrder(-1)]
    public string Type => "snapshot";
}

/// <summary>Further sensors of a large snapshot, in order; the last part has <c>complete: true</c>.</summary>
public sealed record SnapshotPartMessage(long SnapshotId, IReadOnlyList<LiveSensor> Sensors, bool Complete)
{
    [JsonPropertyOrder(-1)]
    public string Type => "snapshotPart";
}

/// <summary>Coalesced changes since the previous batch.</summary>
public sealed record DeltaMessage(
    DateTimeOffset At,
    IReadOnlyDictionary<string, long>? Counts,
    IReadOnlyList<LiveSensor> Upserts,
    IReadOnlyList<string> Removes,
    IReadOnlyList<LiveTransition> Transitions,
    int TransitionsDropped)
{
    [JsonPropertyOrder(-1)]
    public string Type => "delta";
}

/// <summary>The watched sensor in full (on watch and whenever it changes); null when unknown.</summary>
public sealed record SensorMessage(string SensorId, SensorView? Sensor)
{
    [JsonPropertyOrder(-1)]
    public string Type => "sensor";
}

/// <summary>The change feed of this node stopped ("interrupted") or came back ("live"; a resync snapshot follows).</summary>
public sealed record FeedMessage(string State)
{
    [JsonPropertyOrder(-1)]
    public string Type => "feed";
}

/// <summary>Answer to a bad client message; the connection stays open.</summary>
public sealed record ErrorMessage(string Code, string Message)
{
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}

/// <summary>Answer to a ping.</summary>
public sealed record PongMessage(string? Id, DateTimeOffset At)
{
    [JsonPropertyOrder(-1)]
    public string Type => "pong";
}

/// <summary>Body of <c>GET /api/v1/live</c>: the websocket feed of this node.</summary>
public sealed record LiveStatus(
    int Clients,
    bool Listening,
    DateTimeOffset? LastNotificationAt,
    long NotificationsReceived,
    long BatchesSent,
    long SlowClientsDropped,
    long ClientsClosedForAbuse);
