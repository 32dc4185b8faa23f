using FleetHealth.Domain.Notifications;
using FleetHealth.Server.Projection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// The outbox side of the projection: inside the batch's transaction, one row per transition and
/// rule that wants it (one INSERT … SELECT, rules and silences matched in the database, tags read
/// from the sensors rows the batch has just written). A rule wants a transition of a kind it lists;
/// it also gets the recovery or retirement of a sensor that may be one of its group's members
/// (the state left is listed, it is a member, or its row is still waiting), so that it can end it.
/// A transition a silence covers (its tag or sensor, at the transition's time) is recorded muted.
/// A silence transition projected over <c>Notifications:OutageGraceSeconds</c> after its own time
/// (the monitor could not hear when it happened) is held for <c>OutageRecountSeconds</c>.
/// </summary>
internal sealed class NotificationOutbox(IOptions<NotificationOptions> options, TimeProvider clock) : ITransitionOutbox
{
    private const string InsertSql = """
        INSERT INTO notification_outbox (rule_id, sensor_id, kind, from_status, to_status, at, muted_by, recorded_at, held_until)
        SELECT r.id, t.sensor_id, t.kind, t.from_status, t.to_status, t.at,
               (SELECT si.id FROM notification_silences si
                WHERE si.starts_at <= t.at AND si.ends_at > t.at AND (si.sensor_id = t.sensor_id OR si.tag = ANY(s.tags))
                ORDER BY si.id LIMIT 1),
               $6, CASE WHEN t.kind IN ('late', 'stale', 'dead') AND t.at < $6 - $7 THEN $6 + $8 END
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS t(sensor_id, kind, from_status, to_status, at)
        JOIN sensors s ON s.sensor_id = t.sensor_id
        JOIN notification_rules r ON (r.tag IS NULL OR r.tag = ANY(s.tags))
        WHERE t.kind = ANY(r.transitions)
           OR (t.kind IN ('recovered', 'retired') AND (
                   t.from_status = ANY(r.transitions)
                OR EXISTS (SELECT 1 FROM alert_groups g JOIN alert_group_members m ON m.group_id = g.id
                           WHERE g.rule_id = r.id AND g.closed_at IS NULL AND m.sensor_id = t.sensor_id)
                OR EXISTS (SELECT 1 FROM notification_outbox o WHERE o.rule_id = r.id AND o.sensor_id = t.sensor_id AND o.grouped_at IS NULL)))
        ORDER BY t.at, t.sensor_id
        """;

    public async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ProjectedTransition> transitions, CancellationToken cancellationToken)
    {
        var kinds = transitions.Select(t => (t, Kind: TransitionKinds.Of(t.From, t.To))).Where(k => k.Kind is not null).ToList();
        if (kinds.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. kinds.Select(k => k.t.SensorId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. kinds.Select(k => k.Kind!)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. kinds.Select(k => SensorRow.Name(k.t.From))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. kinds.Select(k => SensorRow.Name(k.t.To))] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. kinds.Select(k => k.t.At.ToUniversalTime())], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = TimeSpan.FromSeconds(options.Value.OutageGraceSeconds) });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = TimeSpan.FromSeconds(options.Value.OutageRecountSeconds) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
