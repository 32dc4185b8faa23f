using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetHealth.Actors;

/// <summary>
/// A set of actors sharing a registry (actors addressed by id), a thread pool, one timing wheel,
/// a journal and supervision. Split by concern: Registry (create, find, stop), Supervision
/// (failures, dead letters, counters) and Passivation.
/// </summary>
/// <remarks>
/// Guarantees: each actor handles one message at a time; messages from one sender to one actor
/// arrive in order; an exception in an actor restarts that actor (it is logged and counted in
/// <see cref="Failures"/> and <see cref="Restarts"/>) and never reaches the caller of
/// <see cref="IActorRef.Tell"/> nor takes the process down.
/// </remarks>
public sealed partial class ActorSystem : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Type, ILogger> _loggers = new();
    private readonly ILoggerFactory _loggerFactory;
    private long _busy;
    private int _disposed;

    /// <summary>Creates a running system.</summary>
    /// <param name="name">Used in logs.</param>
    /// <param name="settings">Defaults: system clock, in-memory journal, no passivation.</param>
    public ActorSystem(string name, ActorSystemSettings? settings = null)
    {
        Name = name;
        Settings = settings ?? new ActorSystemSettings();
        if (Settings.Throughput < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "Throughput must be at least 1.");
        }

        _loggerFactory = Settings.LoggerFactory ?? NullLoggerFactory.Instance;
        Logger = _loggerFactory.CreateLogger("FleetHealth.Actors.ActorSystem");
        StorageOutages = Settings.StorageOutages ?? new Persistence.StorageOutageLog(_loggerFactory.CreateLogger("FleetHealth.Storage"), Settings.Clock);
        Wheel = new TimingWheel(Settings.Clock, Settings.TimerTick, Settings.TimerWheelSize);
        Recoveries = new Persistence.RecoveryScheduler(this, Settings.MaxConcurrentRecoveries, Settings.RecoveryBatchSize);
        StartPassivation();
    }

    /// <summary>The system's name.</summary>
    public string Name { get; }

    /// <summary>The settings it was created with.</summary>
    public ActorSystemSettings Settings { get; }

    /// <summary>The time source of timers (virtual in tests).</summary>
    public TimeProvider Clock => Settings.Clock;

    internal TimingWheel Wheel { get; }

    internal ILogger Logger { get; }

    internal Persistence.StorageOutageLog StorageOutages { get; }

    internal Persistence.RecoveryScheduler Recoveries { get; }

    internal ILogger LoggerFor(Type type) => _loggers.GetOrAdd(type, static (t, factory) => factory.CreateLogger(t), _loggerFactory);

    /// <summary>An actor went from idle to scheduled, or async work on an actor's behalf started.</summary>
    internal void OnScheduled() => Interlocked.Increment(ref _busy);

    /// <summary>The counterpart of <see cref="OnScheduled"/>.</summary>
    internal void OnIdle() => Interlocked.Decrement(ref _busy);

    /// <summary>No actor has queued messages and no journal operation is in flight (test support).</summary>
    internal bool IsQuiescent => Interlocked.Read(ref _busy) == 0;

    /// <summary>Waits (polling, real time) until <see cref="IsQuiescent"/> holds twice in a row; false after <paramref name="within"/>.</summary>
    internal async Task<bool> WhenQuiescentAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (IsQuiescent)
            {
                await Task.Yield();
                if (IsQuiescent)
                {
                    return true;
                }
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        return IsQuiescent;
    }

    /// <summary>Stops every actor (each after its in-flight persist), then the timing wheel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAllAsync(static _ => true).ConfigureAwait(false);
        Wheel.Dispose();
    }
}
