using Npgsql;

namespace FleetHealth.Server.Sensors;

/// <summary>Reads sensors from the read model (plain SQL).</summary>
internal sealed class SensorQueries(NpgsqlDataSource dataSource)
{
    private const string Columns = "sensor_id, first_seen, last_seen, heartbeat_count";

    public async Task<SensorView?> FindAsync(SensorId id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM sensors WHERE sensor_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Keyset paging by id: stable under concurrent inserts and as cheap on page 1,000 as on page 1.</summary>
    public async Task<SensorPage> PageAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM sensors WHERE ($1::text IS NULL OR sensor_id > $1) ORDER BY sensor_id LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = after, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit + 1 });
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

    private static SensorView Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3));
}
