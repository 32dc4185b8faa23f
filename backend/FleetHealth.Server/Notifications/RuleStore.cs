using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Notifications;

/// <summary>The <c>notification_rules</c> and <c>notification_rule_channels</c> tables (migration 0018).</summary>
internal sealed class RuleStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Select = """
        SELECT r.id, r.name, r.transitions, r.tag, coalesce(array_agg(c.channel_id ORDER BY c.channel_id) FILTER (WHERE c.channel_id IS NOT NULL), '{}'),
               r.group_wait_seconds, r.group_interval_seconds, r.repeat_interval_seconds, r.created_at, r.created_by, r.updated_at
        FROM notification_rules r LEFT JOIN notification_rule_channels c ON c.rule_id = r.id
        """;

    public async Task<List<RuleView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} GROUP BY r.id ORDER BY r.id");
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<RuleView?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} WHERE r.id = $1 GROUP BY r.id");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<long> CreateAsync(RuleDefinition rule, string by, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO notification_rules (name, transitions, tag, group_wait_seconds, group_interval_seconds, repeat_interval_seconds, created_at, created_by, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7) RETURNING id
            """, connection, transaction);
        AddFields(insert, rule);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = by });
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await SetChannelsAsync(connection, transaction, id, rule.Channels, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return id;
    }

    /// <summary>Replaces the rule; false when there is none. Its open alert group keeps going under the new settings.</summary>
    public async Task<bool> ReplaceAsync(long id, RuleDefinition rule, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = new NpgsqlCommand("""
            UPDATE notification_rules SET name = $1, transitions = $2, tag = $3, group_wait_seconds = $4, group_interval_seconds = $5,
                                          repeat_interval_seconds = $6, updated_at = $7
            WHERE id = $8
            """, connection, transaction);
        AddFields(update, rule);
        update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await using (var clear = new NpgsqlCommand("DELETE FROM notification_rule_channels WHERE rule_id = $1", connection, transaction))
        {
            clear.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            await clear.ExecuteNonQueryAsync(cancellationToken);
        }

        await SetChannelsAsync(connection, transaction, id, rule.Channels, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Deletes the rule with its outbox rows and groups; false when there was none.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM notification_rules WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private void AddFields(NpgsqlCommand command, RuleDefinition rule)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rule.Name });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rule.Transitions });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = rule.Tag, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = rule.GroupWaitSeconds });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = rule.GroupIntervalSeconds });
        command.Parameters.Add(new NpgsqlParameter<double> { TypedValue = rule.RepeatIntervalSeconds });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
    }

    private static async Task SetChannelsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, long[] channels, CancellationToken cancellationToken)
    {
        await using var link = new NpgsqlCommand("INSERT INTO notification_rule_channels (rule_id, channel_id) SELECT $1, unnest($2::bigint[])", connection, transaction);
        link.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        link.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = channels });
        await link.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<RuleView>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rules = new List<RuleView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rules.Add(new RuleView(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetFieldValue<string[]>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<long[]>(4),
                reader.GetDouble(5),
                reader.GetDouble(6),
                reader.GetDouble(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }

        return rules;
    }
}
