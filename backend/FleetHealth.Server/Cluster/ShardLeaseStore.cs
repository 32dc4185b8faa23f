using Npgsql;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// The cluster's tables (migration 0008): settings, membership, shard leases, events. Every time
/// that decides a lease is PostgreSQL's <c>clock_timestamp()</c>; nodes only read their monotonic
/// clocks before sending (see <see cref="ShardLeases"/>). Split: this file (settings and
/// membership), Leases (renewal, decisions, handoff, release).
/// </summary>
internal sealed partial class ShardLeaseStore(NpgsqlDataSource dataSource, ClusterOptions options)
{
    // Decisions (allocation, takeover, rebalance requests) are taken one node at a time under this
    // transaction-scoped advisory lock, like Akka's single coordinator, without a singleton to fail
    // over: whichever node holds it decides for itself on a consistent view. Tried, never waited for.
    private const long CoordinatorLockKey = 0x466C_6565_7443_6F6F; // "FleetCoo"

    private const int RecentEvents = 30;

    private readonly TimeSpan _lease = options.Lease;

    /// <summary>
    /// Records the shard count on first start and creates one lease row per shard; returns the
    /// count the cluster was created with (a node configured differently must not start).
    /// </summary>
    public async Task<int> EnsureShardsAsync(int shards, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand("INSERT INTO cluster_settings (shards) VALUES ($1) ON CONFLICT (singleton) DO NOTHING", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = shards });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        int configured;
        await using (var read = new NpgsqlCommand("SELECT shards FROM cluster_settings", connection, transaction))
        {
            configured = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
        }

        if (configured == shards)
        {
            await using var rows = new NpgsqlCommand("INSERT INTO shard_leases (shard) SELECT generate_series(0, $1 - 1) ON CONFLICT (shard) DO NOTHING", connection, transaction);
            rows.Parameters.Add(new NpgsqlParameter { Value = shards });
            await rows.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return configured;
    }

    /// <summary>Logs this incarnation's arrival (once, on its first successful round).</summary>
    public async Task JoinedAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO cluster_events (kind, to_node) VALUES ('member-joined', $1)");
        command.Parameters.Add(new NpgsqlParameter { Value = node.NodeId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Keeps the event log short: the newest rows are what the status shows.</summary>
    public async Task PruneEventsAsync(int keep, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM cluster_events WHERE id <= (SELECT max(id) FROM cluster_events) - $1");
        command.Parameters.Add(new NpgsqlParameter { Value = keep });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<MemberRecord>> ReadMembersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan downAfter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT node_id, incarnation, address, started_at, last_seen, down_since, left_at,
                   left_at IS NULL AND last_seen > clock_timestamp() - $1::interval
            FROM cluster_members ORDER BY node_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = downAfter });
        var members = new List<MemberRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new MemberRecord(
                reader.GetString(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                reader.GetBoolean(7)));
        }

        return members;
    }

    private static async Task<List<ClusterEventRecord>> ReadEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT id, at, kind, from_node, to_node, shards FROM cluster_events ORDER BY id DESC LIMIT {RecentEvents}", connection, transaction);
        var events = new List<ClusterEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new ClusterEventRecord(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<int[]>(5)));
        }

        return events;
    }
}

/// <summary>A row of cluster_members; <paramref name="Live"/>: renewed within the down-after time and not left (PostgreSQL's clock).</summary>
internal sealed record MemberRecord(string NodeId, Guid Incarnation, string Address, DateTimeOffset StartedAt, DateTimeOffset LastSeen, DateTimeOffset? DownSince, DateTimeOffset? LeftAt, bool Live);

/// <summary>A row of shard_leases; <paramref name="Valid"/>: held and unexpired (PostgreSQL's clock).</summary>
internal sealed record LeaseRecord(int Shard, string? Owner, Guid? OwnerIncarnation, long Epoch, bool Valid, string? HandoffTo);

/// <summary>A row of cluster_events.</summary>
internal sealed record ClusterEventRecord(long Id, DateTimeOffset At, string Kind, string? From, string? To, int[] Shards);

/// <summary>A lease this node renewed (or was handed), and whether someone asked for it.</summary>
internal sealed record RenewedLease(int Shard, long Epoch, string? HandoffTo);

/// <summary>A lease this node just took, and whose it was.</summary>
internal sealed record AcquiredLease(int Shard, long Epoch, string? PreviousOwner);
