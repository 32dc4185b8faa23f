using Akka.Actor;
using Akka.Cluster.Sharding;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>Quiescence of the sensors: a barrier through this node's shard region that every resident sensor answers.</summary>
internal static class ResidentSensors
{
    /// <summary>
    /// Asks every sensor in memory on this node (the region's entity ids) for its state through the
    /// region, and waits for all the answers. An actor answers in mailbox order, after every message
    /// enqueued to it before the ask (the timer messages a scheduler advance sent among them), and
    /// after the events those caused are persisted (commands arriving during a persist wait, stashed).
    /// </summary>
    /// <remarks>
    /// Not covered: a message an actor sends itself while handling an earlier one, after the ask was
    /// enqueued (the sensor does that when new settings put its deadline in the past: it decides it
    /// on its next turn), and sensors that are not in memory here.
    /// </remarks>
    public static async Task HandledAllAsync(IActorRef region, TimeSpan timeout)
    {
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout);
        await Task.WhenAll(state.Shards
            .SelectMany(shard => shard.EntityIds)
            .Select(id => region.Ask<object>(new SensorEnvelope(id, new GetSensorState()), timeout)));
    }
}
