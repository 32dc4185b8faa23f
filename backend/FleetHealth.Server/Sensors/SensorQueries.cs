using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using Npgsql;

namespace FleetHealth.Server.Sensors;

/// <summary>Reads sensors from the read model (plain SQL); effective settings from this node's rules in force.</summary>
internal sealed class SensorQueries(NpgsqlDataSource dataSource, FleetPolicy policy)
{
    private const string Columns = """
        sensor_id, status, status_since, registered_at, first_seen, last_seen, heartbeat_count, tags,
        interval_seconds, grace_seconds, interval_mean_seconds,
        CASE WHEN interval_count > 1 THEN sqrt(interval_m2 / (interval_count - 1)) ELSE 0 END,
        lost_beats, retired_at
        """;

    public async Task<SensorView?> FindAsync(SensorId id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM sensors WHERE sensor_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// Keyset paging by id: stable under concurrent inserts and as cheap on page 1,000 as on page 1.
    /// Filters narrow the same walk; the text filter is a case-insensitive substring of the id.
    /// </summary>
    public async Task<SensorPage> PageAsync(string? after, int limit, SensorFilter filter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM sensors
            WHERE ($1::text IS NULL OR sensor_id > $1)
              AND ($3::text IS NULL OR status = $3)
              AND ($4::text IS NULL OR tags @> ARRAY[$4])
              AND ($5::text IS NULL OR strpos(lower(sensor_id), lower($5)) > 0)
            ORDER BY sensor_id LIMIT $2
            """);
        command.Parameters.Add(Text(after));
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
        command.Parameters.Add(Text(filter.State));
        command.Parameters.Add(Text(filter.Tag));
        command.Parameters.Add(Text(filter.Text));
        var items = new List<SensorView>(limit + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
            }
        }

        if (items.Count <= limit)
        {
            return new SensorPage(items, null);
        }

        items.RemoveAt(limit);
        return new SensorPage(items, items[^1].SensorId);
    }

    private static NpgsqlParameter Text(string? value) => new NpgsqlParameter<string?> { TypedValue = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private SensorView Read(NpgsqlDataReader reader)
    {
        var tags = reader.GetFieldValue<string[]>(7);
        double? interval = reader.IsDBNull(8) ? null : reader.GetDouble(8);
        double? grace = reader.IsDBNull(9) ? null : reader.GetDouble(9);
        var settings = new SensorSettings(BeatSettingsValidation.ToTimeSpan(interval), BeatSettingsValidation.ToTimeSpan(grace), tags);
        return new(
            reader.GetString(0),
            reader.GetString(1),
            Time(reader, 2),
            Time(reader, 3),
            Time(reader, 4),
            Time(reader, 5),
            reader.GetInt64(6),
            tags,
            interval,
            grace,
            reader.GetDouble(10),
            reader.GetDouble(11),
            reader.GetInt64(12),
            Time(reader, 13),
            EffectiveSettings.Of(settings, policy.Current));
    }

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
