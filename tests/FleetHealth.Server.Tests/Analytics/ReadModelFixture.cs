using Npgsql;

namespace FleetHealth.Server.Tests.Analytics;

/// <summary>Writes read-model rows directly, as the projection would, for queries with known answers.</summary>
internal static class ReadModel
{
    public static async Task SensorAsync(NpgsqlDataSource db, string id, string status, DateTimeOffset? firstSeen, DateTimeOffset? lastSeen,
        string[]? tags = null, DateTimeOffset? retiredAt = null, DateTimeOffset? registeredAt = null, DateTimeOffset? statusSince = null)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO sensors (sensor_id, first_seen, last_seen, heartbeat_count, status, tags, retired_at, registered_at, status_since)
            VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)firstSeen ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)lastSeen ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = tags ?? [] });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)retiredAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)(registeredAt ?? firstSeen) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        // As the projection does: the time of the last transition (a retirement, or by default the last heartbeat's).
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)(statusSince ?? retiredAt ?? lastSeen ?? registeredAt ?? firstSeen) ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync();
    }

    public static async Task HeartbeatAsync(NpgsqlDataSource db, string id, DateTimeOffset at, double? intervalSeconds, long? sequence = null, int lostBefore = 0)
    {
        await using var command = db.CreateCommand(
            "INSERT INTO heartbeats (sensor_id, received_at, interval_seconds, sequence, lost_before) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)intervalSeconds ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sequence ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = lostBefore });
        await command.ExecuteNonQueryAsync();
    }

    public static async Task TransitionsAsync(NpgsqlDataSource db, string id, params (string To, DateTimeOffset At)[] changes)
    {
        var from = "registered";
        foreach (var (to, at) in changes)
        {
            await using var command = db.CreateCommand("INSERT INTO state_changes (sensor_id, from_status, to_status, at) VALUES ($1, $2, $3, $4)");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = from });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = to });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            await command.ExecuteNonQueryAsync();
            from = to;
        }
    }
}
