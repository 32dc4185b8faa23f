using Npgsql;

namespace FleetHealth.Server.Cluster;

/// <summary>Lease renewal, coordination decisions, handoff and release.</summary>
internal sealed partial class ShardLeaseStore
{
    // Renewal extends only this incarnation's unexpired leases (a plain UPDATE: it takes FOR NO KEY
    // UPDATE locks, which do not wait for the journal's FOR KEY SHARE, so a long batch never
    // delays a renewal). Handed-over shards are picked up here too: the donor set owner to us.
    private const string RenewSql = """
        UPDATE shard_leases SET expires_at = clock_timestamp() + $3::interval
        WHERE owner = $1 AND owner_incarnation = $2 AND expires_at > clock_timestamp()
        RETURNING shard, epoch, handoff_to
        """;

    private const string UpsertMemberSql = """
        INSERT INTO cluster_members (node_id, incarnation, address, started_at, last_seen)
        VALUES ($1, $2, $3, $4, clock_timestamp())
        ON CONFLICT (node_id) DO UPDATE SET incarnation = EXCLUDED.incarnation, address = EXCLUDED.address,
            started_at = EXCLUDED.started_at, last_seen = EXCLUDED.last_seen, down_since = NULL, left_at = NULL
        """;

    private const string MarkDownSql = """
        WITH down AS (
            UPDATE cluster_members SET down_since = clock_timestamp()
            WHERE down_since IS NULL AND left_at IS NULL AND last_seen <= clock_timestamp() - $1::interval
            RETURNING node_id)
        INSERT INTO cluster_events (kind, from_node) SELECT 'member-down', node_id FROM down
        """;

    // Takeover happens only by PostgreSQL's clock (expires_at <= clock_timestamp()), or for a lease
    // of an earlier incarnation of this very node (it restarted: that process is gone). FOR UPDATE
    // conflicts with the journal's FOR KEY SHARE: SKIP LOCKED passes over a shard whose old owner
    // has a batch in flight; the next round takes it after that batch has committed or failed.
    private const string AcquireSql = """
        WITH free AS (
            SELECT shard, owner FROM shard_leases
            WHERE owner IS NULL OR expires_at IS NULL OR expires_at <= clock_timestamp()
               OR (owner = $1 AND owner_incarnation IS DISTINCT FROM $2)
            ORDER BY shard
            LIMIT $3
            FOR UPDATE SKIP LOCKED),
        taken AS (
            UPDATE shard_leases l SET owner = $1, owner_incarnation = $2, epoch = l.epoch + 1,
                acquired_at = clock_timestamp(), expires_at = clock_timestamp() + $4::interval, handoff_to = NULL
            FROM free WHERE l.shard = free.shard
            RETURNING l.shard, l.epoch, free.owner AS previous),
        logged AS (
            INSERT INTO cluster_events (kind, from_node, to_node, shards)
            SELECT CASE WHEN previous IS NULL THEN 'allocated' WHEN previous = $1 THEN 'reclaimed' ELSE 'taken-over' END,
                   previous, $1, array_agg(shard ORDER BY shard)
            FROM taken GROUP BY previous)
        SELECT shard, epoch, previous FROM taken
        """;

    private const string RequestHandoffSql = """
        UPDATE shard_leases SET handoff_to = $1
        WHERE shard IN (
            SELECT shard FROM shard_leases
            WHERE owner = $2 AND handoff_to IS NULL AND expires_at > clock_timestamp()
            ORDER BY shard DESC LIMIT $3
            FOR UPDATE SKIP LOCKED)
        """;

    // The donor has stopped the shard's actors (their last writes are durable) before this runs.
    // FOR UPDATE still orders it after any batch of ours that is in flight.
    private const string TransferSql = """
        WITH locked AS (
            SELECT l.shard FROM shard_leases l
            JOIN unnest($1::integer[], $2::bigint[]) AS held(shard, epoch) ON held.shard = l.shard AND held.epoch = l.epoch
            WHERE l.owner = $3 AND l.owner_incarnation = $4 AND l.handoff_to = $5
            FOR UPDATE OF l),
        target AS (
            SELECT node_id, incarnation FROM cluster_members
            WHERE node_id = $5 AND left_at IS NULL AND last_seen > clock_timestamp() - $6::interval),
        moved AS (
            UPDATE shard_leases l SET owner = target.node_id, owner_incarnation = target.incarnation, epoch = l.epoch + 1,
                acquired_at = clock_timestamp(), expires_at = clock_timestamp() + $7::interval, handoff_to = NULL
            FROM locked, target WHERE l.shard = locked.shard
            RETURNING l.shard),
        logged AS (
            INSERT INTO cluster_events (kind, from_node, to_node, shards)
            SELECT 'handed-off', $3, $5, array_agg(shard ORDER BY shard) FROM moved HAVING count(*) > 0)
        SELECT shard FROM moved
        """;

    // A writer cut off mid-transaction keeps its row locks and uncommitted rows (which would block
    // the new owner's writes of the same streams) until PostgreSQL notices it is gone, which for a
    // silent network may be never: the journal sessions of owners whose leases expired are ended.
    // Safe: such an owner has stopped trusting its leases before they expired (ShardLeases).
    private const string TerminateStaleWritersSql = """
        SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid, 1000)) FROM pg_stat_activity a
        WHERE a.application_name IN (
            SELECT DISTINCT 'fleethealth-journal:' || owner_incarnation FROM shard_leases
            WHERE owner_incarnation IS NOT NULL AND owner_incarnation <> $1 AND expires_at <= clock_timestamp())
        """;

    private const string CancelHandoffSql = """
        UPDATE shard_leases SET handoff_to = NULL WHERE shard = $1 AND owner = $2 AND owner_incarnation = $3 AND handoff_to = $4
        """;

    private const string LeaveSql = """
        WITH locked AS (
            SELECT shard FROM shard_leases WHERE owner = $1 AND owner_incarnation = $2 FOR UPDATE),
        released AS (
            UPDATE shard_leases l SET owner = NULL, owner_incarnation = NULL, expires_at = clock_timestamp(), handoff_to = NULL
            FROM locked WHERE l.shard = locked.shard
            RETURNING l.shard),
        logged AS (
            INSERT INTO cluster_events (kind, from_node, shards) SELECT 'released', $1, array_agg(shard) FROM released HAVING count(*) > 0),
        gone AS (
            UPDATE cluster_members SET left_at = clock_timestamp() WHERE node_id = $1 AND incarnation = $2 RETURNING node_id)
        INSERT INTO cluster_events (kind, from_node) SELECT 'member-left', node_id FROM gone
        """;

    /// <summary>Heartbeat of this member and renewal of its leases, in one round trip.</summary>
    public async Task<List<RenewedLease>> RenewAsync(ClusterNode node, Uri address, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(UpsertMemberSql, node.NodeId, node.Incarnation, address.ToString(), node.StartedAt));
        batch.BatchCommands.Add(Command(RenewSql, node.NodeId, node.Incarnation, _lease));
        var renewed = new List<RenewedLease>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            renewed.Add(new RenewedLease(reader.GetInt32(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return renewed;
    }

    /// <summary>
    /// One coordination round: reads the cluster (members, leases, recent events) and, if this node
    /// gets the coordinator lock, declares silent members down, lets <paramref name="decide"/>
    /// choose, takes free shards and asks owners for handoffs, all in one transaction.
    /// <paramref name="now"/> is read right before the acquisition is sent (its leases' <c>t0</c>).
    /// </summary>
    public async Task<CoordinationRound> CoordinateAsync(
        ClusterNode node, Func<IReadOnlyList<MemberRecord>, IReadOnlyList<LeaseRecord>, AllocationDecision> decide, Func<long> now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var limit = (int)Math.Max(1000, options.Lease.TotalMilliseconds);
        await using (var timeouts = new NpgsqlCommand(
            $"SET LOCAL statement_timeout = {limit}; SET LOCAL lock_timeout = {limit}; SET LOCAL idle_in_transaction_session_timeout = {limit}", connection, transaction))
        {
            await timeouts.ExecuteNonQueryAsync(cancellationToken);
        }

        bool coordinator;
        await using (var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({CoordinatorLockKey})", connection, transaction))
        {
            coordinator = (bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!;
        }

        var downAfter = options.MemberDownAfter;
        if (coordinator)
        {
            await using var markDown = new NpgsqlCommand(MarkDownSql, connection, transaction);
            markDown.Parameters.Add(new NpgsqlParameter { Value = downAfter });
            await markDown.ExecuteNonQueryAsync(cancellationToken);
        }

        var members = await ReadMembersAsync(connection, transaction, downAfter, cancellationToken);
        var leases = await ReadLeasesAsync(connection, transaction, cancellationToken);
        var acquired = new List<AcquiredLease>();
        var sentAt = now();
        var requested = 0;
        if (coordinator)
        {
            var decision = decide(members, leases);
            if (decision.Acquire > 0)
            {
                sentAt = now();
                await using var acquire = new NpgsqlCommand(AcquireSql, connection, transaction);
                acquire.Parameters.Add(new NpgsqlParameter { Value = node.NodeId });
                acquire.Parameters.Add(new NpgsqlParameter { Value = node.Incarnation });
                acquire.Parameters.Add(new NpgsqlParameter { Value = decision.Acquire });
                acquire.Parameters.Add(new NpgsqlParameter { Value = _lease });
                await using var reader = await acquire.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    acquired.Add(new AcquiredLease(reader.GetInt32(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            foreach (var request in decision.Handoffs)
            {
                await using var ask = new NpgsqlCommand(RequestHandoffSql, connection, transaction);
                ask.Parameters.Add(new NpgsqlParameter { Value = node.NodeId });
                ask.Parameters.Add(new NpgsqlParameter { Value = request.Donor });
                ask.Parameters.Add(new NpgsqlParameter { Value = request.Count });
                requested += await ask.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        var events = await ReadEventsAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CoordinationRound(coordinator, members, leases, events, acquired, sentAt, requested);
    }

    /// <summary>Moves shards this node has stopped to the node that asked for them; returns those moved (not: the request or the asker is gone).</summary>
    public async Task<HashSet<int>> TransferAsync(ClusterNode node, int[] shards, long[] epochs, string to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(TransferSql);
        AddAll(command.Parameters, shards, epochs, node.NodeId, node.Incarnation, to, options.MemberDownAfter, _lease);
        var moved = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            moved.Add(reader.GetInt32(0));
        }

        return moved;
    }

    public async Task CancelHandoffAsync(ClusterNode node, int shard, string to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(CancelHandoffSql);
        AddAll(command.Parameters, shard, node.NodeId, node.Incarnation, to);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends the journal sessions of incarnations whose leases expired (they may hold locks a takeover waits for); returns how many.</summary>
    public async Task<long> TerminateStaleWritersAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(TerminateStaleWritersSql);
        AddAll(command.Parameters, node.Incarnation);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The application name of this incarnation's journal sessions (what <see cref="TerminateStaleWritersAsync"/> looks for).</summary>
    public static string JournalApplicationName(ClusterNode node) => $"fleethealth-journal:{node.Incarnation}";

    /// <summary>Clean leave: releases every lease (the others take them at once, no expiry to wait for) and marks the member left.</summary>
    public async Task LeaveAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LeaveSql);
        AddAll(command.Parameters, node.NodeId, node.Incarnation);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<LeaseRecord>> ReadLeasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT shard, owner, owner_incarnation, epoch, coalesce(owner IS NOT NULL AND expires_at > clock_timestamp(), false), handoff_to FROM shard_leases ORDER BY shard",
            connection, transaction);
        var leases = new List<LeaseRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            leases.Add(new LeaseRecord(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.GetInt64(3),
                reader.GetBoolean(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return leases;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddAll(command.Parameters, values);
        return command;
    }

    private static void AddAll(NpgsqlParameterCollection parameters, params object[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}

/// <summary>What one coordination round read and did.</summary>
internal sealed record CoordinationRound(
    bool Coordinator,
    IReadOnlyList<MemberRecord> Members,
    IReadOnlyList<LeaseRecord> Leases,
    IReadOnlyList<ClusterEventRecord> Events,
    IReadOnlyList<AcquiredLease> Acquired,
    long AcquireSentAt,
    int HandoffsRequested);
