using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Server.Ingestion;
using Npgsql;

namespace FleetHealth.Server.Fleet;

/// <summary>Every heartbeat goes to its sensor's actor and is acknowledged when the actor's event is durable.</summary>
internal sealed class ActorHeartbeatSink(SensorFleet fleet) : IHeartbeatSink
{
    public async ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken)
    {
        try
        {
            await fleet.WhenPolicyLoadedAsync(cancellationToken);
            return await fleet.Sensor(heartbeat.SensorId).Ask<IngestOutcome>(new SubmitHeartbeat(heartbeat, requiredTag), fleet.AckTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or ActorNotAvailableException or JournalConflictException or NpgsqlException)
        {
            throw new IngestUnavailableException("The heartbeat could not be made durable in time.", e);
        }
    }
}
