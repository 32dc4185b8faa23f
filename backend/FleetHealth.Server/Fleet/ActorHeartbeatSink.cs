using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Fleet;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Ingestion;
using Npgsql;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// Every heartbeat goes to its sensor's actor, on whichever node owns the sensor's shard, and is
/// acknowledged when the actor's event is durable.
/// </summary>
internal sealed class ActorHeartbeatSink(SensorShards sensors) : IHeartbeatSink
{
    public async ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken)
    {
        try
        {
            return (IngestOutcome)await sensors.AskAsync(heartbeat.SensorId, new SubmitHeartbeat(heartbeat, requiredTag), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or ActorNotAvailableException or JournalConflictException or NpgsqlException or ShardUnavailableException)
        {
            throw new IngestUnavailableException("The heartbeat could not be made durable in time.", e);
        }
    }
}
