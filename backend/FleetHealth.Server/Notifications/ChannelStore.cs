using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Notifications;

/// <summary>The <c>notification_channels</c> table (migration 0018).</summary>
internal sealed class ChannelStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Columns = "id, name, kind, config, secret, created_at, created_by, updated_at";

    public async Task<List<ChannelRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM notification_channels ORDER BY id");
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<ChannelRecord?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM notification_channels WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The ids among <paramref name="ids"/> that are no channel.</summary>
    public async Task<long[]> MissingAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT i FROM unnest($1::bigint[]) AS i WHERE NOT EXISTS (SELECT 1 FROM notification_channels c WHERE c.id = i)");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. ids] });
        var missing = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(reader.GetInt64(0));
        }

        return [.. missing];
    }

    public async Task<ChannelRecord> CreateAsync(string name, string kind, ChannelConfig config, string? secret, string by, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO notification_channels (name, kind, config, secret, created_at, created_by, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Serialize(config), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = secret, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = by });
        return (await ReadAsync(command, cancellationToken)).Single();
    }

    public async Task<ChannelRecord?> UpdateAsync(long id, string name, ChannelConfig config, string? secret, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE notification_channels SET name = $2, config = $3, secret = $4, updated_at = $5 WHERE id = $1 RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Serialize(config), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = secret, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Deletes the channel (rules lose it; its delivery log goes with it); false when there was none.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM notification_channels WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static string Serialize(ChannelConfig config) => JsonSerializer.Serialize(config, NotificationJsonContext.Default.ChannelConfig);

    private static async Task<List<ChannelRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var channels = new List<ChannelRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            channels.Add(new ChannelRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                JsonSerializer.Deserialize(reader.GetString(3), NotificationJsonContext.Default.ChannelConfig)!,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return channels;
    }
}
