using FleetHealth.Domain.Heartbeats;

namespace FleetHealth.Domain.Liveness;

/// <summary>
/// Everything that happens to a sensor, as persisted in its journal. Events are facts: they carry
/// every value their Apply needs, so replaying them never consults the clock or the policy.
/// </summary>
public abstract record SensorEvent(DateTimeOffset At);

/// <summary>The sensor became known, by provisioning or by its first heartbeat (auto-registration).</summary>
public sealed record SensorRegistered(DateTimeOffset At) : SensorEvent(At);

/// <summary>
/// One accepted heartbeat. <paramref name="MissedBefore"/> is how many expected beats the silence
/// before it skipped (for the flap-safe rule); <paramref name="LostBeats"/> the change it makes to
/// the lost-beat count from sequence gaps (negative when a late beat fills a gap).
/// </summary>
public sealed record HeartbeatRecorded(
    DateTimeOffset At,
    long? Sequence,
    DateTimeOffset? SentAt,
    ReportedStatus Status,
    double? Battery,
    double? Signal,
    string? Firmware,
    IReadOnlyDictionary<string, double>? Metrics,
    bool SkewFlagged,
    int MissedBefore,
    long LostBeats,
    bool SequenceReset) : SensorEvent(At);

/// <summary>A transition, timed at the instant its rule became true (a deadline, or a heartbeat's receipt).</summary>
public sealed record StatusChanged(DateTimeOffset At, LivenessStatus From, LivenessStatus To, string Reason) : SensorEvent(At);

/// <summary>An operator changed interval, grace or tags.</summary>
public sealed record SettingsChanged(DateTimeOffset At, SensorSettings Settings) : SensorEvent(At);

/// <summary>An operator put a retired sensor back under watch; deadlines run from <see cref="SensorEvent.At"/>.</summary>
public sealed record SensorReactivated(DateTimeOffset At) : SensorEvent(At);
