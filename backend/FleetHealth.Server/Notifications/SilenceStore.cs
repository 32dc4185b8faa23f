using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Notifications;

/// <summary>The <c>notification_silences</c> table (migration 0018); the outbox consults it as transitions are projected.</summary>
internal sealed class SilenceStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "id, tag, sensor_id, starts_at, ends_at, comment, created_at, created_by";

    /// <summary>Silences that have not ended, and those that ended within the last day.</summary>
    public async Task<List<SilenceView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM notification_silences WHERE ends_at > $1 - interval '1 day' ORDER BY starts_at DESC, id DESC");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<SilenceView> CreateAsync(string? tag, string? sensorId, DateTimeOffset startsAt, DateTimeOffset endsAt, string? comment, string by, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO notification_silences (tag, sensor_id, starts_at, ends_at, comment, created_at, created_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tag, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = sensorId, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = startsAt });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = endsAt });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = comment, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = by });
        return (await ReadAsync(command, cancellationToken)).Single();
    }

    /// <summary>Ends the silence now (a silence not started yet ends before it starts: it never mutes); null when there is none.</summary>
    public async Task<SilenceView?> EndAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE notification_silences SET ends_at = greatest(starts_at + interval '1 microsecond', least(ends_at, $2))
            WHERE id = $1 RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    private async Task<List<SilenceView>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var items = new List<SilenceView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var starts = reader.GetFieldValue<DateTimeOffset>(3);
            var ends = reader.GetFieldValue<DateTimeOffset>(4);
            items.Add(new SilenceView(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                starts,
                ends,
                starts <= now && now < ends,
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetString(7)));
        }

        return items;
    }
}
