using FleetHealth.Actors.Persistence;
using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors;

/// <summary>Settings of an <see cref="ActorSystem"/>; every property has a working default.</summary>
public sealed record ActorSystemSettings
{
    /// <summary>Time source of timers and passivation. Use a virtual clock in tests (TestKit's <c>VirtualClock</c>).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Resolution of the timing wheel: timers fire up to one tick late, never early.</summary>
    public TimeSpan TimerTick { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Buckets of the timing wheel (a power of two). More buckets: fewer entries visited per tick.</summary>
    public int TimerWheelSize { get; init; } = 4096;

    /// <summary>Messages one actor handles before giving its thread to others (fairness vs. throughput).</summary>
    public int Throughput { get; init; } = 64;

    /// <summary>Stop actors (whose <see cref="Props.Passivate"/> is on) after this long without user messages; null: never.</summary>
    public TimeSpan? PassivationIdleTimeout { get; init; }

    /// <summary>At most this many recovery reads run at once; actors waiting for one queue (their commands are stashed).</summary>
    public int MaxConcurrentRecoveries { get; init; } = 16;

    /// <summary>Most queued actors one recovery read loads together (their snapshots and events in a few round trips).</summary>
    public int RecoveryBatchSize { get; init; } = 256;

    /// <summary>Where persistent actors write and read events.</summary>
    public IJournal Journal { get; init; } = new InMemoryJournal();

    /// <summary>Where persistent actors keep snapshots.</summary>
    public ISnapshotStore SnapshotStore { get; init; } = new InMemorySnapshotStore();

    /// <summary>Turns events and snapshots into bytes and back; every persisted type must be registered.</summary>
    public EventSerializer Serializer { get; init; } = new();

    /// <summary>Logs failures, restarts and dead letters.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Where recoveries and persists that fail because storage is unreachable are reported (one line
    /// per outage instead of one per actor); share it with the journal. Null: the system makes its own.
    /// </summary>
    public StorageOutageLog? StorageOutages { get; init; }
}
