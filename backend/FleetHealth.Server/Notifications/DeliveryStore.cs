using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Notifications;

/// <summary>A delivery this node claimed, with what it needs to send.</summary>
internal sealed record ClaimedDelivery(long Id, Guid NotificationId, string IdempotencyKey, int Attempts, string Payload, ChannelRecord Channel);

/// <summary>A delivery as the log shows it.</summary>
public sealed record DeliveryView(
    long Id,
    Guid NotificationId,
    long ChannelId,
    string ChannelName,
    string Type,
    string Summary,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatus,
    string? LastError,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset CreatedAt,
    string IdempotencyKey);

public sealed record DeliveryList(IReadOnlyList<DeliveryView> Items);

/// <summary>
/// <c>notification_deliveries</c> (migration 0018). A node claims due deliveries with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease (<c>claimed_until</c>): two nodes never claim the same
/// one, and one claimed by a node that died is claimed again once its lease has passed.
/// </summary>
internal sealed class DeliveryStore(NpgsqlDataSource dataSource)
{
    public async Task<List<ClaimedDelivery>> ClaimAsync(DateTimeOffset now, TimeSpan lease, string node, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH due AS (
                SELECT id FROM notification_deliveries
                WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
                ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE notification_deliveries d SET claimed_until = $2, claimed_by = $3 FROM due WHERE d.id = due.id
                RETURNING d.id, d.notification_id, d.idempotency_key, d.attempts, d.channel_id)
            SELECT c.id, c.notification_id, c.idempotency_key, c.attempts, n.payload::text,
                   ch.id, ch.name, ch.kind, ch.config::text, ch.secret, ch.created_at, ch.created_by, ch.updated_at
            FROM claimed c JOIN notifications n ON n.id = c.notification_id JOIN notification_channels ch ON ch.id = c.channel_id
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now + lease });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = node });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var channel = new ChannelRecord(
                reader.GetInt64(5),
                reader.GetString(6),
                reader.GetString(7),
                System.Text.Json.JsonSerializer.Deserialize(reader.GetString(8), NotificationJsonContext.Default.ChannelConfig)!,
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetString(11),
                reader.GetFieldValue<DateTimeOffset>(12));
            claimed.Add(new ClaimedDelivery(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), channel));
        }

        return claimed;
    }

    /// <summary>Records a round of tries: delivered, failed for good, or pending again from <paramref name="retryAt"/>.</summary>
    public async Task RecordAsync(long id, string node, int tries, SendOutcome outcome, string status, DateTimeOffset now, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE notification_deliveries SET attempts = attempts + $3, status = $4, last_attempt_at = $5, last_status = $6, last_error = $7,
                   delivered_at = CASE WHEN $4 = 'delivered' THEN $5 END, next_attempt_at = coalesce($8, next_attempt_at),
                   claimed_until = NULL, claimed_by = NULL
            WHERE id = $1 AND claimed_by = $2 AND status = 'pending'
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = node });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tries });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = outcome.Status, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = outcome.Delivered ? null : Truncate(outcome.Detail), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = retryAt is { } at ? at : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A test message and its delivery, already tried once (kept in the log like any other).</summary>
    public async Task RecordTestAsync(Guid notificationId, string payload, long channelId, SendOutcome outcome, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertNotificationAsync(connection, transaction, notificationId, "test", null, null, payload, now, cancellationToken);
        await using var delivery = new NpgsqlCommand("""
            INSERT INTO notification_deliveries (notification_id, channel_id, idempotency_key, status, attempts, next_attempt_at, last_attempt_at,
                                                 last_status, last_error, delivered_at, created_at)
            VALUES ($1, $2, $1::text, $3, 1, $4, $4, $5, $6, CASE WHEN $3 = 'delivered' THEN $4 END, $4)
            """, connection, transaction);
        delivery.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = notificationId });
        delivery.Parameters.Add(new NpgsqlParameter<long> { TypedValue = channelId });
        delivery.Parameters.Add(new NpgsqlParameter<string> { TypedValue = outcome.Delivered ? "delivered" : "failed" });
        delivery.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        delivery.Parameters.Add(new NpgsqlParameter<int?> { TypedValue = outcome.Status, NpgsqlDbType = NpgsqlDbType.Integer });
        delivery.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = outcome.Delivered ? null : Truncate(outcome.Detail), NpgsqlDbType = NpgsqlDbType.Text });
        await delivery.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A notification row and one pending delivery per channel of <paramref name="ruleId"/> (inside the grouper's transaction).</summary>
    public static async Task<int> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid notificationId, long ruleId, long groupId, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await InsertNotificationAsync(connection, transaction, notificationId, "alert", ruleId, groupId, payload, now, cancellationToken);
        await using var deliveries = new NpgsqlCommand("""
            INSERT INTO notification_deliveries (notification_id, channel_id, idempotency_key, next_attempt_at, created_at)
            SELECT $1, channel_id, $1::text || '-' || channel_id, $3, $3 FROM notification_rule_channels WHERE rule_id = $2
            """, connection, transaction);
        deliveries.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = notificationId });
        deliveries.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ruleId });
        deliveries.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        return await deliveries.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<DeliveryView>> ListAsync(long? channelId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.id, d.notification_id, d.channel_id, c.name, n.kind, n.payload->>'summary', d.status, d.attempts,
                   CASE WHEN d.status = 'pending' THEN d.next_attempt_at END, d.last_attempt_at, d.last_status, d.last_error, d.delivered_at, d.created_at, d.idempotency_key
            FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id JOIN notification_channels c ON c.id = d.channel_id
            WHERE $1::bigint IS NULL OR d.channel_id = $1
            ORDER BY d.id DESC LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = channelId, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var items = new List<DeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new DeliveryView(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? "" : reader.GetString(5),
                reader.GetString(6),
                reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                reader.GetFieldValue<DateTimeOffset>(13),
                reader.GetString(14)));
        }

        return items;
    }

    private static async Task InsertNotificationAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string kind, long? ruleId, long? groupId, string payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO notifications (id, kind, rule_id, group_id, payload, created_at) VALUES ($1, $2, $3, $4, $5::json, $6)", connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = kind });
        insert.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = ruleId, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = groupId, NpgsqlDbType = NpgsqlDbType.Bigint });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;
}
