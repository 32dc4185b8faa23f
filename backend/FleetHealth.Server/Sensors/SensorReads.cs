using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;

namespace FleetHealth.Server.Sensors;

/// <summary>
/// One sensor's view. From its actor when the actor is in memory on the node that owns its shard
/// (read-your-writes: a heartbeat acknowledged a moment ago shows at once, whichever node took it),
/// else from the read model, which trails the journal by the projection's lag.
/// </summary>
internal sealed class SensorReads(ISensorFleet sensors, FleetPolicy policy, SensorQueries readModel)
{
    public async Task<SensorView?> FindAsync(SensorId id, CancellationToken cancellationToken)
    {
        try
        {
            if (await sensors.StateIfResidentAsync(id, cancellationToken) is { } state)
            {
                return View(id, state, policy.Current);
            }
        }
        catch (SensorUnavailableException)
        {
            // Fall through to the read model.
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
