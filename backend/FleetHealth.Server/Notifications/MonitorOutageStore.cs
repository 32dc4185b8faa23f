using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// <c>monitor_pulse</c> and <c>monitor_outages</c> (migration 0019): one statement per pulse moves
/// the pulse forward and, when the previous one is older than the grace, records the gap as an
/// outage (the row lock makes concurrent pulses of several nodes record one gap once).
/// </summary>
internal sealed class MonitorOutageStore(NpgsqlDataSource dataSource)
{
    /// <summary>Writes the pulse at <paramref name="now"/>; the outage it ended, if the previous pulse was over <paramref name="grace"/> ago.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)?> PulseAsync(DateTimeOffset now, TimeSpan grace, string node, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH previous AS (SELECT last_seen FROM monitor_pulse WHERE singleton FOR UPDATE),
            pulse AS (
                INSERT INTO monitor_pulse (singleton, last_seen) VALUES (true, $1)
                ON CONFLICT (singleton) DO UPDATE SET last_seen = greatest(monitor_pulse.last_seen, excluded.last_seen))
            INSERT INTO monitor_outages (started_at, ended_at, recorded_by)
            SELECT last_seen, $1, $3 FROM previous WHERE $1 - last_seen > $2
            RETURNING started_at, ended_at
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = grace });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = node });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1)) : null;
    }

    /// <summary>
    /// The most recent outages with the sensors held for each: held transitions whose own time (the
    /// deadline the sensor missed) lies within the outage, however long the projection took to
    /// write them after the monitor was back.
    /// </summary>
    public async Task<List<MonitorOutageView>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT m.id, m.started_at, m.ended_at,
                   (SELECT count(DISTINCT o.sensor_id) FROM notification_outbox o
                    WHERE o.held_until IS NOT NULL AND o.at BETWEEN m.started_at AND m.ended_at),
                   (SELECT count(DISTINCT o.sensor_id) FROM notification_outbox o
                    WHERE o.held_until IS NOT NULL AND o.at BETWEEN m.started_at AND m.ended_at AND o.dropped = 'recovered-after-outage')
            FROM monitor_outages m ORDER BY m.ended_at DESC, m.id DESC LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var items = new List<MonitorOutageView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var started = reader.GetFieldValue<DateTimeOffset>(1);
            var ended = reader.GetFieldValue<DateTimeOffset>(2);
            items.Add(new MonitorOutageView(reader.GetInt64(0), started, ended, (ended - started).TotalSeconds, reader.GetInt64(3), reader.GetInt64(4)));
        }

        return items;
    }
}
