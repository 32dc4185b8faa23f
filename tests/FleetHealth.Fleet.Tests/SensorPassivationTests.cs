using Akka.Actor;
using Akka.Cluster.Sharding;
using FleetHealth.Domain.Liveness;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>Which sensors leave memory on their own: those nobody registered, never one that has a deadline.</summary>
public sealed class SensorPassivationTests(ITestOutputHelper output) : SensorActorSpec(output)
{
    [Fact]
    public async Task A_read_of_a_sensor_nobody_knows_asks_its_shard_to_passivate_it()
    {
        var sensor = ChildActorOf(SensorActor.Props("ghost-1", Policy, autoRegister: true, snapshotEvery: 0, new SchedulerClock(Sys.Scheduler)));

        var reply = await sensor.Ask<object>(new GetSensorState(), Ask);

        Assert.IsType<SensorUnknown>(reply);
        var passivate = await ExpectMsgAsync<Passivate>(Ask);
        Assert.Same(PoisonPill.Instance, passivate.StopMessage);
    }

    [Fact]
    public async Task A_refused_heartbeat_of_an_unknown_sensor_asks_to_passivate_it()
    {
        var sensor = ChildActorOf(SensorActor.Props("ghost-2", Policy, autoRegister: false, snapshotEvery: 0, new SchedulerClock(Sys.Scheduler)));

        Assert.Equal(IngestOutcome.UnknownSensor, await BeatAsync(sensor, "ghost-2"));

        await ExpectMsgAsync<Passivate>(Ask);
    }

    [Fact]
    public async Task A_known_sensor_stays_resident_after_reads_and_heartbeats()
    {
        var sensor = ChildActorOf(SensorActor.Props("kept-1", Policy, autoRegister: true, snapshotEvery: 0, new SchedulerClock(Sys.Scheduler)));

        Assert.Equal(IngestOutcome.Accepted, await BeatAsync(sensor, "kept-1", sequence: 1));
        Assert.True((await StateAsync(sensor)).IsKnown);

        // The parent is the test actor: a passivation request would arrive before this reply (one sender, one order).
        sensor.Tell(new GetSensorState(), TestActor);
        Assert.True((await ExpectMsgAsync<SensorState>(Ask)).IsKnown);
    }
}
