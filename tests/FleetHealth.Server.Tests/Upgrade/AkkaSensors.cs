using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Storage;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>
/// The Akka release's sensors on a database: <see cref="SensorActor"/> (FleetHealth.Fleet) journalled
/// by the Akka.Persistence.Sql journal and snapshot store as the server configures them
/// (<see cref="AkkaJournalConfiguration"/>, <see cref="SensorEventSerializer"/>), on virtual time:
/// Akka's <see cref="TestScheduler"/> fires the timers only when <see cref="Advance"/> moves it, and
/// the actors' "now" starts at the given instant and moves with it.
/// </summary>
internal sealed class AkkaSensors : IAsyncDisposable
{
    /// <summary>A deadline, not a measurement: generous, since test projects share two cores.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly ActorSystem _system;
    private readonly FleetPolicy _policy;
    private readonly int _snapshotEvery;
    private readonly Dictionary<string, IActorRef> _sensors = new(StringComparer.Ordinal);

    public AkkaSensors(string connectionString, LivenessPolicy rules, int snapshotEvery, DateTimeOffset start)
    {
        var config = ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
                """)
            .WithFallback(SensorEventSerializer.Config)
            .WithFallback(AkkaJournalConfiguration.ToConfig(connectionString, new AkkaJournalOptions()));
        _system = ActorSystem.Create("upgrade", config);
        _policy = FleetPolicy.Fixed(rules);
        _snapshotEvery = snapshotEvery;
        Clock = new ShiftedSchedulerClock(_system.Scheduler, start);
    }

    /// <summary>The actors' "now": the start instant plus the virtual time advanced since.</summary>
    public TimeProvider Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Moves virtual time on; due timers are enqueued to their actors before this returns.</summary>
    public void Advance(TimeSpan by) => ((TestScheduler)_system.Scheduler).Advance(by);

    /// <summary>The sensor's state once its actor has recovered (it answers only after recovery).</summary>
    public async Task<SensorState> StateAsync(string sensorId) =>
        Assert.IsType<SensorState>(await Sensor(sensorId).Ask<object>(new GetSensorState(), AskTimeout));

    public async Task<IngestOutcome> BeatAsync(string sensorId, long? sequence = null) =>
        await Sensor(sensorId).Ask<IngestOutcome>(new SubmitHeartbeat(new Heartbeat(Id(sensorId), Now, sequence)), AskTimeout);

    /// <summary>Stops every sensor and the system: what they wrote stays in the database.</summary>
    public async ValueTask DisposeAsync() => await _system.Terminate().WaitAsync(AskTimeout);

    private IActorRef Sensor(string sensorId)
    {
        if (!_sensors.TryGetValue(sensorId, out var sensor))
        {
            sensor = _system.ActorOf(SensorActor.Props(sensorId, _policy, autoRegister: true, _snapshotEvery, Clock), sensorId);
            _sensors[sensorId] = sensor;
        }

        return sensor;
    }

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);

    /// <summary>"Now" = a fixed start plus the scheduler's progress since this clock was made.</summary>
    private sealed class ShiftedSchedulerClock(IScheduler scheduler, DateTimeOffset start) : TimeProvider
    {
        private readonly DateTimeOffset _origin = scheduler.Now;

        public override DateTimeOffset GetUtcNow() => start + (scheduler.Now - _origin);
    }
}
