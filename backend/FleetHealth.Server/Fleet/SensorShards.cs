using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Cluster;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// The way into a sensor's actor from anywhere in the cluster: through the <see cref="ShardRegion"/>,
/// which delivers locally or forwards to the owner of the sensor's shard, within the ack timeout.
/// </summary>
internal sealed class SensorShards(ShardRegion region, SensorFleet fleet)
{
    /// <summary>The liveness rules in force on this node (for the effective settings a view shows).</summary>
    public FleetPolicy Policy => fleet.Policy;

    /// <summary>The actor's reply, after its events are durable.</summary>
    /// <exception cref="ShardUnavailableException">Not delivered in time: answer 503, never success.</exception>
    public async Task<object> AskAsync(SensorId id, object command, CancellationToken cancellationToken) =>
        await region.AskAsync(id.Value, command, residentOnly: false, fleet.AckTimeout, cancellationToken)
        ?? throw new InvalidOperationException($"Sensor '{id}' sent no reply to {command.GetType().Name}.");

    /// <summary>The sensor's state if its actor is in memory on its owner (read-your-writes), else null.</summary>
    public async Task<SensorState?> StateIfResidentAsync(SensorId id, CancellationToken cancellationToken) =>
        await region.AskAsync(id.Value, new GetSensorState(), residentOnly: true, fleet.AckTimeout, cancellationToken) as SensorState;
}
