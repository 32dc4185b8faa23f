using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Cluster;
using Npgsql;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// The home-made engine's way into a sensor's actor from anywhere in the cluster: through the
/// <see cref="ShardRegion"/>, which delivers locally or forwards to the owner of the sensor's shard,
/// within the ack timeout.
/// </summary>
internal sealed class SensorShards(ShardRegion region, SensorFleet fleet) : ISensorFleet
{
    public async Task<object> AskAsync(SensorId id, object command, CancellationToken cancellationToken)
    {
        try
        {
            return await region.AskAsync(id.Value, command, residentOnly: false, fleet.AckTimeout, cancellationToken)
                ?? throw new InvalidOperationException($"Sensor '{id}' sent no reply to {command.GetType().Name}.");
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new SensorUnavailableException($"Sensor '{id}' did not answer in time.", e);
        }
    }

    public async Task<SensorState?> StateIfResidentAsync(SensorId id, CancellationToken cancellationToken)
    {
        try
        {
            return await region.AskAsync(id.Value, new GetSensorState(), residentOnly: true, fleet.AckTimeout, cancellationToken) as SensorState;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new SensorUnavailableException($"Sensor '{id}' did not answer in time.", e);
        }
    }

    public Task<int> AnnounceTagSettingsChangedAsync(IReadOnlySet<string> tags, CancellationToken cancellationToken) =>
        Task.FromResult(fleet.AnnounceTagSettingsChanged(tags));

    public Task<int> ResidentSensorsAsync(CancellationToken cancellationToken) => Task.FromResult(fleet.ResidentSensors);

    private static bool IsUnavailable(Exception e) =>
        e is TimeoutException or ActorNotAvailableException or JournalConflictException or NpgsqlException or ShardUnavailableException;
}
