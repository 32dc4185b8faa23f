using FleetHealth.Domain.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Notifications;

/// <summary>An outbox row waiting to be grouped.</summary>
internal sealed record OutboxRow(long Id, long RuleId, string SensorId, string Kind, string FromStatus, DateTimeOffset At, bool Muted);

/// <summary>A rule as the grouper needs it.</summary>
internal sealed record GroupingRule(long Id, string Name, string? Tag, string[] Transitions, TimeSpan GroupWait, TimeSpan GroupInterval, TimeSpan RepeatInterval);

/// <summary>An open alert group (its flush time moves as the grouper works).</summary>
internal sealed class OpenGroup(long id, long ruleId, DateTimeOffset openedAt, DateTimeOffset flushAt, DateTimeOffset? lastSentAt)
{
    public long Id => id;

    public long RuleId => ruleId;

    public DateTimeOffset OpenedAt => openedAt;

    public DateTimeOffset FlushAt { get; set; } = flushAt;

    public DateTimeOffset? LastSentAt => lastSentAt;
}

/// <summary>The grouper's reads and writes of the outbox and the alert groups, inside its transaction.</summary>
internal sealed class AlertGroupStore(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    /// <summary>
    /// Rows to group, in id order: those not held, and held ones whose time has come. A held row whose
    /// sensor is no longer silent (late, stale, dead) is dropped here, recorded as such: the sensor
    /// went quiet only while the monitor could not hear it. A row still held holds back the later
    /// rows of its rule and sensor, so a sensor's rows are never grouped out of order.
    /// </summary>
    public async Task<List<OutboxRow>> ReadPendingAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using (var drop = Command("""
            UPDATE notification_outbox o SET dropped = 'recovered-after-outage', grouped_at = $1
            FROM sensors s
            WHERE o.grouped_at IS NULL AND o.held_until <= $1 AND s.sensor_id = o.sensor_id AND s.status NOT IN ('late', 'stale', 'dead')
            """))
        {
            drop.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = Command("""
            SELECT id, rule_id, sensor_id, kind, from_status, at, muted_by IS NOT NULL FROM notification_outbox o
            WHERE grouped_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM notification_outbox h
                              WHERE h.grouped_at IS NULL AND h.held_until > $2 AND h.rule_id = o.rule_id AND h.sensor_id = o.sensor_id AND h.id <= o.id)
            ORDER BY id LIMIT $1
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetBoolean(6)));
        }

        return rows;
    }

    public async Task<Dictionary<long, GroupingRule>> ReadRulesAsync(long[] ids, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT id, name, tag, transitions, group_wait_seconds, group_interval_seconds, repeat_interval_seconds FROM notification_rules WHERE id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        var rules = new Dictionary<long, GroupingRule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rules[reader.GetInt64(0)] = new GroupingRule(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<string[]>(3),
                TimeSpan.FromSeconds(reader.GetDouble(4)),
                TimeSpan.FromSeconds(reader.GetDouble(5)),
                TimeSpan.FromSeconds(reader.GetDouble(6)));
        }

        return rules;
    }

    /// <summary>The open group of each of <paramref name="ruleIds"/> that has one, by rule.</summary>
    public async Task<Dictionary<long, OpenGroup>> ReadOpenGroupsAsync(long[] ruleIds, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT id, rule_id, opened_at, flush_at, last_sent_at FROM alert_groups WHERE closed_at IS NULL AND rule_id = ANY($1) FOR UPDATE
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ruleIds });
        var groups = new Dictionary<long, OpenGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups[reader.GetInt64(1)] = ReadGroup(reader);
        }

        return groups;
    }

    public async Task<Dictionary<(long GroupId, string SensorId), AlertMember>> ReadMembersAsync(long[] groupIds, string[] sensorIds, CancellationToken cancellationToken)
    {
        var members = new Dictionary<(long, string), AlertMember>();
        if (groupIds.Length == 0)
        {
            return members;
        }

        await using var command = Command("""
            SELECT group_id, sensor_id, status, since, sent_status, changed FROM alert_group_members
            WHERE group_id = ANY($1) AND sensor_id = ANY($2::text[])
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = groupIds });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = sensorIds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members[(reader.GetInt64(0), reader.GetString(1))] = ReadMember(reader, 1);
        }

        return members;
    }

    /// <summary>Every member of <paramref name="groupId"/>.</summary>
    public async Task<List<AlertMember>> ReadGroupMembersAsync(long groupId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT sensor_id, status, since, sent_status, changed FROM alert_group_members WHERE group_id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = groupId });
        var members = new List<AlertMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(ReadMember(reader, 0));
        }

        return members;
    }

    public async Task<OpenGroup> OpenGroupAsync(long ruleId, DateTimeOffset now, DateTimeOffset flushAt, CancellationToken cancellationToken)
    {
        await using var command = Command("INSERT INTO alert_groups (rule_id, opened_at, flush_at) VALUES ($1, $2, $3) RETURNING id");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ruleId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = flushAt });
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new OpenGroup(id, ruleId, now, flushAt, null);
    }

    /// <summary>Writes changed members (null: removed).</summary>
    public async Task WriteMembersAsync(Dictionary<(long GroupId, string SensorId), AlertMember?> changed, CancellationToken cancellationToken)
    {
        var removed = changed.Where(c => c.Value is null).Select(c => c.Key).ToList();
        if (removed.Count > 0)
        {
            await using var delete = Command("""
                DELETE FROM alert_group_members m USING unnest($1::bigint[], $2::text[]) AS r(group_id, sensor_id)
                WHERE m.group_id = r.group_id AND m.sensor_id = r.sensor_id
                """);
            delete.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. removed.Select(r => r.GroupId)] });
            delete.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. removed.Select(r => r.SensorId)] });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        var kept = changed.Where(c => c.Value is not null).Select(c => (c.Key.GroupId, Member: c.Value!)).ToList();
        if (kept.Count > 0)
        {
            await using var upsert = Command("""
                INSERT INTO alert_group_members (group_id, sensor_id, status, since, sent_status, changed)
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::boolean[])
                ON CONFLICT (group_id, sensor_id) DO UPDATE SET status = excluded.status, since = excluded.since,
                    sent_status = excluded.sent_status, changed = excluded.changed
                """);
            upsert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. kept.Select(k => k.GroupId)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. kept.Select(k => k.Member.SensorId)] });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. kept.Select(k => k.Member.Status)] });
            upsert.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. kept.Select(k => k.Member.Since.ToUniversalTime())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            upsert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. kept.Select(k => k.Member.SentStatus)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            upsert.Parameters.Add(new NpgsqlParameter<bool[]> { TypedValue = [.. kept.Select(k => k.Member.Changed)] });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task SetFlushTimesAsync(OpenGroup[] groups, CancellationToken cancellationToken)
    {
        if (groups.Length == 0)
        {
            return;
        }

        await using var command = Command("""
            UPDATE alert_groups g SET flush_at = u.flush_at FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, flush_at) WHERE g.id = u.id
            """);
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. groups.Select(g => g.Id)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. groups.Select(g => g.FlushAt)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkGroupedAsync(long[] ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE notification_outbox SET grouped_at = $2, dropped = CASE WHEN muted_by IS NOT NULL THEN 'muted' END WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = ids });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Open groups whose flush time has come, with their rules.</summary>
    public async Task<List<(OpenGroup Group, GroupingRule Rule)>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            SELECT g.id, g.rule_id, g.opened_at, g.flush_at, g.last_sent_at,
                   r.name, r.tag, r.transitions, r.group_wait_seconds, r.group_interval_seconds, r.repeat_interval_seconds
            FROM alert_groups g JOIN notification_rules r ON r.id = g.rule_id
            WHERE g.closed_at IS NULL AND g.flush_at <= $1 ORDER BY g.flush_at LIMIT $2 FOR UPDATE OF g
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var due = new List<(OpenGroup, GroupingRule)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add((ReadGroup(reader), new GroupingRule(
                reader.GetInt64(1),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<string[]>(7),
                TimeSpan.FromSeconds(reader.GetDouble(8)),
                TimeSpan.FromSeconds(reader.GetDouble(9)),
                TimeSpan.FromSeconds(reader.GetDouble(10)))));
        }

        return due;
    }

    /// <summary>After a message: resolved members go, the others are marked sent; the group closes when none is firing, else waits for its repeat.</summary>
    public async Task AfterSendAsync(long groupId, bool close, DateTimeOffset now, DateTimeOffset nextFlush, CancellationToken cancellationToken)
    {
        await using (var members = Command("""
            WITH gone AS (DELETE FROM alert_group_members WHERE group_id = $1 AND status NOT IN ('late', 'stale', 'dead', 'fault') RETURNING 1)
            UPDATE alert_group_members SET sent_status = status, changed = false WHERE group_id = $1 AND status IN ('late', 'stale', 'dead', 'fault')
            """))
        {
            members.Parameters.Add(new NpgsqlParameter<long> { TypedValue = groupId });
            await members.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var group = Command("""
            UPDATE alert_groups SET last_sent_at = $2, flush_at = $3, closed_at = CASE WHEN $4 THEN $2 END WHERE id = $1
            """);
        group.Parameters.Add(new NpgsqlParameter<long> { TypedValue = groupId });
        group.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        group.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = nextFlush });
        group.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = close });
        await group.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    private static OpenGroup ReadGroup(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));

    private static AlertMember ReadMember(NpgsqlDataReader reader, int from) => new(
        reader.GetString(from),
        reader.GetString(from + 1),
        reader.GetFieldValue<DateTimeOffset>(from + 2),
        reader.IsDBNull(from + 3) ? null : reader.GetString(from + 3),
        reader.GetBoolean(from + 4));
}
