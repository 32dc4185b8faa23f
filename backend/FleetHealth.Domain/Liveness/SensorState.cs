namespace FleetHealth.Domain.Liveness;

/// <summary>
/// A sensor's state, rebuilt from its events by <see cref="Apply"/>. Apply is pure and total:
/// recovery replays the same events into the same state on any node, at any time.
/// </summary>
public sealed record SensorState
{
    public static SensorState Unknown { get; } = new();

    public bool IsKnown { get; init; }

    public LivenessStatus Status { get; init; } = LivenessStatus.Registered;

    public DateTimeOffset StatusSince { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }

    public BeatHistory History { get; init; }

    public DateTimeOffset? FirstSeen => History.FirstSeen;

    public DateTimeOffset? LastSeen => History.LastSeen;

    /// <summary>Where silence is measured from: the last heartbeat, or a later reactivation.</summary>
    public DateTimeOffset? WatchFrom { get; init; }

    public long HeartbeatCount => History.Count;

    public long LostBeats => History.LostBeats;

    public long SkewedBeats { get; init; }

    public IntervalStats Intervals => History.Intervals;

    public SequenceTracker Sequence { get; init; } = SequenceTracker.Empty;

    public MissWindow Misses { get; init; }

    public SensorSettings Settings { get; init; } = SensorSettings.Inherit;

    public DateTimeOffset? RetiredAt { get; init; }

    public SensorState Apply(SensorEvent e) => e switch
    {
        SensorRegistered r => this with { IsKnown = true, RegisteredAt = r.At, StatusSince = r.At, Status = LivenessStatus.Registered },
        HeartbeatRecorded h => ApplyHeartbeat(h),
        StatusChanged s => this with
        {
            Status = s.To,
            StatusSince = s.At,
            RetiredAt = s.To == LivenessStatus.Retired ? s.At : s.From == LivenessStatus.Retired ? null : RetiredAt,
        },
        SettingsChanged s => this with { Settings = s.Settings },
        SensorReactivated r => this with { WatchFrom = r.At },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Unknown sensor event."),
    };

    private SensorState ApplyHeartbeat(HeartbeatRecorded h)
    {
        var sequence = Sequence;
        if (h.Sequence is { } seq)
        {
            var verdict = h.SequenceReset ? SequenceVerdict.Reset : sequence.Classify(seq, out _);
            sequence = sequence.Accept(seq, verdict);
        }

        var (history, _) = History.Record(h);
        return this with
        {
            History = history,
            WatchFrom = WatchFrom is { } watch && watch > history.LastSeen ? watch : history.LastSeen,
            SkewedBeats = SkewedBeats + (h.SkewFlagged ? 1 : 0),
            Sequence = sequence,
            Misses = Misses.Record(h.MissedBefore),
        };
    }
}
