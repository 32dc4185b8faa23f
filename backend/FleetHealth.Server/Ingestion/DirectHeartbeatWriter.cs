using Npgsql;

namespace FleetHealth.Server.Ingestion;

/// <summary>
/// Walking-skeleton sink: one upsert per heartbeat, committed before the caller hears back.
/// The sensor actor (with its journal and group commit) replaces it.
/// </summary>
internal sealed class DirectHeartbeatWriter(NpgsqlDataSource dataSource) : IHeartbeatSink
{
    public async ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO sensors (sensor_id, first_seen, last_seen, heartbeat_count, registered_at, status, status_since)
            VALUES ($1, $2, $2, 1, $2, 'healthy', $2)
            ON CONFLICT (sensor_id) DO UPDATE
               SET last_seen = greatest(sensors.last_seen, excluded.last_seen),
                   heartbeat_count = sensors.heartbeat_count + 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = heartbeat.SensorId.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = heartbeat.ReceivedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return IngestOutcome.Accepted;
    }
}
