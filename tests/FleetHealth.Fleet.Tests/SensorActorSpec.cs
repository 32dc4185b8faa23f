using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.TestKit;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>
/// An actor system with Akka's in-memory journal (wrapped to fail on demand) and snapshot store,
/// the sensor serializer, and virtual time: Akka's <see cref="TestScheduler"/> drives the timers and
/// <see cref="SchedulerClock"/> gives the actor the same "now", so deadlines pass with no waiting.
/// </summary>
public abstract class SensorActorSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(SpecConfig, "fleet", output)
{
    // A deadline, not a measurement: generous, since test projects share two cores.
    protected static readonly TimeSpan Ask = TimeSpan.FromSeconds(30);

    private static readonly Config SpecConfig = ConfigurationFactory.ParseString("""
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.persistence.journal.plugin = "akka.persistence.journal.failing"
        akka.persistence.journal.failing {
          class = "FleetHealth.Fleet.Tests.FailingJournal, FleetHealth.Fleet.Tests"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """).WithFallback(SensorEventSerializer.Config);

    protected FleetPolicy Policy { get; } = FleetPolicy.Fixed(new LivenessPolicy());

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    protected DateTimeOffset VirtualNow => Sys.Scheduler.Now;

    protected IActorRef Sensor(string id, bool autoRegister = true, int snapshotEvery = 0) =>
        Sys.ActorOf(SensorActor.Props(id, Policy, autoRegister, snapshotEvery, new SchedulerClock(Sys.Scheduler)));

    protected static Heartbeat Beat(string id, DateTimeOffset at, long? sequence = null) => new(Id(id), at, sequence);

    protected Task<IngestOutcome> BeatAsync(IActorRef sensor, string id, long? sequence = null) =>
        sensor.Ask<IngestOutcome>(new SubmitHeartbeat(Beat(id, VirtualNow, sequence)), Ask);

    protected async Task<SensorState> StateAsync(IActorRef sensor) =>
        Assert.IsType<SensorState>(await sensor.Ask<object>(new GetSensorState(), Ask));

    /// <summary>Moves virtual time on; due timers are enqueued to their actors before this returns.</summary>
    protected void Advance(TimeSpan by) => Scheduler.Advance(by);

    /// <summary>Stops an incarnation and waits until it is gone, so the next one recovers from the journal only.</summary>
    protected async Task StopAsync(IActorRef sensor)
    {
        Watch(sensor);
        Sys.Stop(sensor);
        await ExpectTerminatedAsync(sensor, Ask);
        Unwatch(sensor);
    }

    /// <summary>The highest sequence number the journal holds for <paramref name="persistenceId"/> (0: nothing written).</summary>
    protected async Task<long> HighestSequenceNrAsync(string persistenceId)
    {
        var probe = CreateTestProbe();
        Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null).Tell(new ReplayMessages(1, long.MaxValue, 0, persistenceId, probe.Ref));
        return (await probe.ExpectMsgAsync<RecoverySuccess>(Ask)).HighestSequenceNr;
    }

    protected static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);
}

/// <summary>"Now" read from the actor system's scheduler, so it moves exactly when the test scheduler is advanced.</summary>
internal sealed class SchedulerClock(IScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now.ToUniversalTime();
}
