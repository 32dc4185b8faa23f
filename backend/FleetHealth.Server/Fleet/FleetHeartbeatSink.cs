using FleetHealth.Domain.Heartbeats;
using FleetHealth.Fleet;
using FleetHealth.Server.Ingestion;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// Every heartbeat goes to its sensor's actor, on whichever node owns it, and is acknowledged when
/// the actor's event is durable.
/// </summary>
internal sealed class FleetHeartbeatSink(ISensorFleet fleet) : IHeartbeatSink
{
    public async ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken)
    {
        try
        {
            return (IngestOutcome)await fleet.AskAsync(heartbeat.SensorId, new SubmitHeartbeat(heartbeat, requiredTag), cancellationToken);
        }
        catch (SensorUnavailableException e)
        {
            throw new IngestUnavailableException("The heartbeat could not be made durable in time.", e);
        }
    }
}
