using FleetHealth.Server.Sensors;
using Npgsql;

namespace FleetHealth.Server.Live;

/// <summary>The read-model queries of the live feed (plain SQL over <c>sensors</c>).</summary>
internal sealed class LiveReads(NpgsqlDataSource dataSource)
{
    private const string Columns = "sensor_id, status, status_since, last_seen, heartbeat_count, tags, interval_mean_seconds, lost_beats";

    /// <summary>The current rows of these sensors (unknown ids are absent).</summary>
    public async Task<List<LiveSensor>> SensorsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var rows = new List<LiveSensor>(ids.Count);
        foreach (var chunk in ids.Chunk(10_000))
        {
            await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM sensors WHERE sensor_id = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = chunk });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Read(reader));
            }
        }

        return rows;
    }

    /// <summary>Sensors per status, every status present (0 when none).</summary>
    public async Task<Dictionary<string, long>> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = SensorFilter.States.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM sensors GROUP BY status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>The first <paramref name="limit"/> sensors matching the filter in id order, and how many match in all.</summary>
    public async Task<(List<LiveSensor> Sensors, long Matched)> SnapshotAsync(LiveFilter filter, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns}, count(*) OVER () FROM sensors
            WHERE ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR tags @> ARRAY[$3])
              AND ($4::text IS NULL OR strpos(lower(sensor_id), lower($4)) > 0)
            ORDER BY sensor_id LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(Text(filter.State));
        command.Parameters.Add(Text(filter.Tag));
        command.Parameters.Add(Text(filter.Text));
        var rows = new List<LiveSensor>();
        long matched = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
            matched = reader.GetInt64(8);
        }

        return (rows, matched);
    }

    private static NpgsqlParameter Text(string? value) => new NpgsqlParameter<string?> { TypedValue = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static LiveSensor Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetInt64(4),
        reader.GetFieldValue<string[]>(5),
        reader.GetDouble(6),
        reader.GetInt64(7));
}
