using Akka.Actor;
using Akka.Persistence;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// One sensor on Akka.NET: owns its liveness. Feeds heartbeats, operator commands and its own
/// deadline timer into the pure <see cref="SensorLiveness"/> rules, persists what they decide and
/// only then replies. The rules come from <see cref="FleetPolicy.Current"/> at each decision; "now"
/// comes from the <see cref="TimeProvider"/> it was given (the deadlines' times are decided by the
/// rules, never by when a timer happened to fire).
/// </summary>
/// <remarks>
/// Guarantees:
/// <list type="bullet">
/// <item>Reply only after persist: a command's events are written in one <c>PersistAll</c> and its reply
/// (<see cref="IngestOutcome"/>, <see cref="SensorState"/> or <see cref="SensorUnknown"/>) is sent after the
/// last of them is in the journal. A write that fails or is rejected answers the asker with
/// <see cref="Status.Failure"/> (never a success) and stops the actor; its next incarnation recovers
/// from the journal.</item>
/// <item>Ordering: commands are handled one at a time in mailbox order; commands that arrive while
/// events are being persisted wait (Akka stashes them), so every reply reflects all earlier commands.</item>
/// <item>Recovery rebuilds the state from the latest snapshot and the events after it, and may then
/// persist the silence transitions whose deadlines passed while nobody owned the sensor (each stamped
/// at its true deadline) before it answers any command. It never replies to anyone by itself.</item>
/// <item>The deadline timer is re-armed after every change and after recovery, from the time silence
/// is measured from (the last heartbeat or a reactivation), before the reply is sent.</item>
/// </list>
/// Persistence id <c>sensor/{id}</c>: the same streams as the previous release's, so its journal carried over (migration 0017).
/// </remarks>
public sealed partial class SensorActor : UntypedPersistentActor
{
    private readonly FleetPolicy _rules;
    private readonly bool _autoRegister;
    private readonly TimeProvider _clock;
    private readonly IScheduler? _deadlines;
    private SensorState _state = SensorState.Unknown;

    /// <param name="sensorId">The sensor's id (already validated), the tail of its persistence id.</param>
    /// <param name="rules">The rules in force, read at each decision.</param>
    /// <param name="autoRegister">Whether a heartbeat from an unknown sensor registers it.</param>
    /// <param name="snapshotEvery">Snapshot after at least this many events since the last one; 0: never.</param>
    /// <param name="clock">"Now" for the rules; in step with the scheduler of its deadline timer.</param>
    /// <param name="deadlines">
    /// The scheduler of its deadline timer; null: the actor system's. Given when the fleet's clock is
    /// not real time (tests on a virtual clock), so that only the sensors' deadlines follow that
    /// clock while Akka's own timers (cluster, sharding, the read journal's polling, asks) stay real.
    /// </param>
    public SensorActor(string sensorId, FleetPolicy rules, bool autoRegister, int snapshotEvery, TimeProvider clock, IScheduler? deadlines = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sensorId);
        ArgumentOutOfRangeException.ThrowIfNegative(snapshotEvery);
        PersistenceId = PersistenceIdOf(sensorId);
        _rules = rules;
        _autoRegister = autoRegister;
        _snapshotEvery = snapshotEvery;
        _clock = clock;
        _deadlines = deadlines;
    }

    public override string PersistenceId { get; }

    /// <summary>What every sensor's journal stream starts with; other streams in the journal are not sensors.</summary>
    public const string PersistenceIdPrefix = "sensor/";

    /// <summary>The journal stream of a sensor: <c>sensor/{id}</c>, as the previous release named it.</summary>
    public static string PersistenceIdOf(string sensorId) => PersistenceIdPrefix + sensorId;

    /// <summary>Props for one sensor's actor (see the constructor's parameters).</summary>
    public static Props Props(string sensorId, FleetPolicy rules, bool autoRegister, int snapshotEvery, TimeProvider clock, IScheduler? deadlines = null) =>
        Akka.Actor.Props.Create(() => new SensorActor(sensorId, rules, autoRegister, snapshotEvery, clock, deadlines));

    private DateTimeOffset Now => _clock.GetUtcNow();
}
