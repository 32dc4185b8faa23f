using Akka.Actor;
using FleetHealth.Domain.Liveness;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>What the sensor writes to its journal, and what it must not write or acknowledge.</summary>
public sealed class SensorActorWriteTests(ITestOutputHelper output) : SensorActorSpec(output)
{
    [Fact]
    public async Task A_duplicate_heartbeat_writes_nothing_at_all()
    {
        var sensor = Sensor("dupw-1");
        await BeatAsync(sensor, "dupw-1", sequence: 7);
        var written = await HighestSequenceNrAsync(SensorActor.PersistenceIdOf("dupw-1"));

        Assert.Equal(IngestOutcome.Duplicate, await BeatAsync(sensor, "dupw-1", sequence: 7));

        Assert.Equal(written, await HighestSequenceNrAsync(SensorActor.PersistenceIdOf("dupw-1")));
        Assert.Equal(1, (await StateAsync(sensor)).HeartbeatCount);
    }

    [Fact]
    public async Task Operator_commands_for_an_unknown_sensor_say_so_and_write_nothing_even_with_auto_registration_on()
    {
        var sensor = Sensor("unkw-1", autoRegister: true);
        var settings = new SensorSettings(TimeSpan.FromSeconds(10), null, ["bay"]);

        Assert.IsType<SensorUnknown>(await sensor.Ask<object>(new RetireSensor(), Ask));
        Assert.IsType<SensorUnknown>(await sensor.Ask<object>(new ReactivateSensor(), Ask));
        Assert.IsType<SensorUnknown>(await sensor.Ask<object>(new ChangeSensorSettings(settings), Ask));
        Assert.IsType<SensorUnknown>(await sensor.Ask<object>(new GetSensorState(), Ask));

        Assert.Equal(0, await HighestSequenceNrAsync(SensorActor.PersistenceIdOf("unkw-1")));
    }

    [Fact]
    public async Task A_write_that_collides_with_a_second_writer_of_the_stream_answers_a_failure_not_an_acknowledgement_and_stops_the_sensor()
    {
        // Two incarnations of one sensor, as on two nodes that both believe they own it.
        var first = Sensor("twice-1");
        await BeatAsync(first, "twice-1", sequence: 1);
        var second = Sensor("twice-1");
        Assert.Equal(IngestOutcome.Accepted, await BeatAsync(second, "twice-1", sequence: 2));
        Watch(first);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BeatAsync(first, "twice-1", sequence: 3));

        Assert.IsType<StreamConflictException>(error); // the journal's error, at once: not an outcome, not a timeout
        await ExpectTerminatedAsync(first, Ask);
        await StopAsync(second);
        var recovered = await StateAsync(Sensor("twice-1"));
        Assert.Equal(2, recovered.HeartbeatCount); // the second writer's beat is kept, the refused one is not
    }
}
