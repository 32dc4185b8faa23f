using FleetHealth.Actors;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Liveness;
using FleetHealth.Server.Projection;

namespace FleetHealth.Server.Sensors;

/// <summary>
/// One sensor's view. From its actor when the actor lives on this node (read-your-writes: a
/// heartbeat acknowledged a moment ago shows at once), else from the read model, which trails the
/// journal by the projection's lag.
/// </summary>
internal sealed class SensorReads(SensorFleet fleet, SensorQueries readModel)
{
    public async Task<SensorView?> FindAsync(SensorId id, CancellationToken cancellationToken)
    {
        if (fleet.TryGetResident(id, out var actor))
        {
            try
            {
                if (await actor.Ask(new GetSensorState(), fleet.AckTimeout, cancellationToken) is SensorState state)
                {
                    return View(id, state, fleet.Policy.Current);
                }
            }
            catch (Exception e) when (e is TimeoutException or ActorNotAvailableException)
            {
                // Fall through to the read model.
            }
        }

        var row = await readModel.FindAsync(id, cancellationToken);
        return row is { Status: "registered", HeartbeatCount: 0, RegisteredAt: null } ? null : row;
    }

    internal static SensorView View(SensorId id, SensorState state, LivenessPolicy policy) => new(
        id.Value,
        SensorRow.Name(state.Status),
        state.StatusSince,
        state.RegisteredAt,
        state.FirstSeen,
        state.LastSeen,
        state.HeartbeatCount,
        state.Settings.Tags,
        state.Settings.Interval?.TotalSeconds,
        state.Settings.Grace?.TotalSeconds,
        state.Intervals.MeanSeconds,
        state.Intervals.StdDevSeconds,
        state.LostBeats,
        state.RetiredAt,
        EffectiveSettings.Of(state.Settings, policy));
}
