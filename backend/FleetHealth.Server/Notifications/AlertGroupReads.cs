using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>Reads of <c>alert_groups</c> and their members (migration 0018) for the API; the grouper writes them.</summary>
internal sealed class AlertGroupReads(NpgsqlDataSource dataSource)
{
    public const int MaxGroups = 200;

    /// <summary>Open groups, newest first, each with its counts per state and its first <paramref name="sensorsListed"/> sensors.</summary>
    public async Task<List<AlertGroupView>> ListOpenAsync(int sensorsListed, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT g.id, g.rule_id, r.name, r.tag, g.opened_at, g.last_sent_at, g.flush_at,
                   coalesce((SELECT array_agg(c.status ORDER BY c.status) FROM (SELECT status FROM alert_group_members WHERE group_id = g.id GROUP BY status) c), '{}'),
                   coalesce((SELECT array_agg(c.n ORDER BY c.status) FROM (SELECT status, count(*)::int AS n FROM alert_group_members WHERE group_id = g.id GROUP BY status) c), '{}'),
                   coalesce((SELECT array_agg(f.sensor_id ORDER BY f.rank, f.sensor_id) FROM (
                       SELECT sensor_id, CASE status WHEN 'dead' THEN 0 WHEN 'fault' THEN 1 WHEN 'stale' THEN 2 WHEN 'late' THEN 3 ELSE 4 END AS rank
                       FROM alert_group_members WHERE group_id = g.id ORDER BY rank, sensor_id LIMIT $1) f), '{}')
            FROM alert_groups g JOIN notification_rules r ON r.id = g.rule_id
            WHERE g.closed_at IS NULL
            ORDER BY g.opened_at DESC, g.id DESC LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = sensorsListed });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxGroups });
        var groups = new List<AlertGroupView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var states = reader.GetFieldValue<string[]>(7);
            var numbers = reader.GetFieldValue<int[]>(8);
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < states.Length; i++)
            {
                counts[states[i]] = numbers[i];
            }

            groups.Add(new AlertGroupView(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                counts,
                numbers.Sum(),
                reader.GetFieldValue<string[]>(9)));
        }

        return groups;
    }
}
