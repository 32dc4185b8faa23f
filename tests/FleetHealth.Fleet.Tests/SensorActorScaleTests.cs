using FleetHealth.Domain.Liveness;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>Many sensors on one actor system: every timer is its own, none is lost or shared.</summary>
public sealed class SensorActorScaleTests(ITestOutputHelper output) : SensorActorSpec(output)
{
    [Fact]
    public async Task Every_one_of_ten_thousand_sensors_turns_late_at_its_own_deadline()
    {
        var start = VirtualNow;
        var sensors = Enumerable.Range(0, 10_000).Select(i => (Id: $"many-{i}", Actor: Sensor($"many-{i}"))).ToList();
        foreach (var chunk in sensors.Chunk(1000))
        {
            Assert.All(await Task.WhenAll(chunk.Select(s => BeatAsync(s.Actor, s.Id))), outcome => Assert.Equal(IngestOutcome.Accepted, outcome));
        }

        Advance(TimeSpan.FromSeconds(89));
        Assert.All(await Task.WhenAll(sensors.Select(s => StateAsync(s.Actor))), s => Assert.Equal(LivenessStatus.Healthy, s.Status));
        Advance(TimeSpan.FromSeconds(1));

        // Each answer comes after that sensor's timer message and the write it caused.
        var states = await Task.WhenAll(sensors.Select(s => StateAsync(s.Actor)));
        Assert.All(states, s => Assert.Equal((LivenessStatus.Late, start.AddSeconds(90)), (s.Status, s.StatusSince)));
    }
}
