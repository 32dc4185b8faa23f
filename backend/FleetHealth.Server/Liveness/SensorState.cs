namespace FleetHealth.Server.Liveness;

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

    public DateTimeOffset? FirstSeen { get; init; }

    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>Where silence is measured from: the last heartbeat, or a later reactivation.</summary>
    public DateTimeOffset? WatchFrom { get; init; }

    public long HeartbeatCount { get; init; }

    public long LostBeats { get; init; }

    public long SkewedBeats { get; init; }

    public IntervalStats Intervals { get; init; }

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

        var intervals = LastSeen is { } previous && h.At > previous ? Intervals.Add(h.At - previous) : Intervals;
        var lastSeen = LastSeen is { } last && last > h.At ? last : h.At;
        return this with
        {
            FirstSeen = FirstSeen ?? h.At,
            LastSeen = lastSeen,
            WatchFrom = WatchFrom is { } watch && watch > lastSeen ? watch : lastSeen,
            HeartbeatCount = HeartbeatCount + 1,
            LostBeats = Math.Max(0, LostBeats + h.LostBeats),
            SkewedBeats = SkewedBeats + (h.SkewFlagged ? 1 : 0),
            Intervals = intervals,
            Sequence = sequence,
            Misses = Misses.Record(h.MissedBefore),
        };
    }
}
