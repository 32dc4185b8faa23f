using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Coordination;

/// <summary>
/// The SQL of <see cref="PostgresLease"/> on <c>akka.leases</c> (migrations 0015, 0016). Every
/// operation is one autocommitted statement or one implicit transaction of a single round trip, so
/// a caller cut off mid-call leaves no lock behind that could block another owner. Expiry is
/// compared with PostgreSQL's <c>clock_timestamp()</c> only. <paramref name="writer"/>: the
/// journal writer identity recorded with every acquisition (<see cref="JournalFence"/>), or null.
/// </summary>
internal sealed class PostgresLeaseStore(NpgsqlDataSource dataSource, string? writer = null)
{
    // Before a change of hands: end the open transactions of the previous holder's journal writer
    // (another incarnation, its lease expired by the database's clock). A transaction of it that
    // passed the journal fence before the expiry holds the lease row FOR KEY SHARE, and LockSql
    // would wait for it, for ever if its node is cut off mid-transaction. Its idle sessions hold
    // nothing and any later write of them fails the fence, so they are left alone. Only sessions
    // this role may signal (its own role's, or any non-superuser's with pg_signal_backend) are
    // chosen, since pg_terminate_backend raises an error for the others; run the lease with the
    // journal's role. A session it cannot end makes LockSql wait, bounded by the operation timeout.
    internal const string EndPreviousWriterSql = """
        SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid))::integer
        FROM akka.leases l
        JOIN pg_stat_activity a ON a.application_name = $2 || l.writer
        JOIN pg_roles r ON r.oid = a.usesysid
        WHERE l.name = $1 AND l.writer IS DISTINCT FROM $3 AND l.expires_at <= clock_timestamp()
          AND a.xact_start IS NOT NULL AND a.pid <> pg_backend_pid()
          AND (pg_has_role(r.oid, 'USAGE') OR (pg_has_role('pg_signal_backend', 'USAGE') AND NOT r.rolsuper))
        """;

    // FOR UPDATE conflicts with the journal fence's FOR KEY SHARE (the upsert's own lock, FOR NO
    // KEY UPDATE, would not): an acquisition waits for every write that passed the fence under the
    // previous holder, and a write checked after it sees the new holder and is refused.
    internal const string LockSql = "SELECT 1 FROM akka.leases WHERE name = $1 FOR UPDATE";

    // Free (never taken or released), expired by the database's clock, or already ours: same owner
    // and same journal writer, i.e. the same incarnation (a restarted node keeps its address, the
    // owner, but not its writer). The epoch grows unless this is a re-acquisition of a lease the
    // same incarnation still holds unexpired, so every change of hands (and every re-take after an
    // expiry) gets a new fencing token. ON CONFLICT locks the row and re-checks the WHERE on its
    // latest version: of two racing acquirers exactly one gets a row back.
    internal const string AcquireSql = """
        INSERT INTO akka.leases AS l (name, owner, writer, epoch, acquired_at, expires_at)
        VALUES ($1, $2, $4, 1, clock_timestamp(), clock_timestamp() + $3::interval)
        ON CONFLICT (name) DO UPDATE SET
            owner = EXCLUDED.owner,
            writer = EXCLUDED.writer,
            epoch = CASE WHEN l.owner = EXCLUDED.owner AND l.writer IS NOT DISTINCT FROM EXCLUDED.writer AND l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
            acquired_at = CASE WHEN l.owner = EXCLUDED.owner AND l.writer IS NOT DISTINCT FROM EXCLUDED.writer AND l.expires_at > clock_timestamp() THEN l.acquired_at ELSE clock_timestamp() END,
            expires_at = clock_timestamp() + $3::interval
        WHERE l.owner IS NULL OR l.expires_at <= clock_timestamp() OR (l.owner = EXCLUDED.owner AND l.writer IS NOT DISTINCT FROM EXCLUDED.writer)
        RETURNING l.epoch
        """;

    // Only an unexpired lease of ours at the epoch we acquired: a renewal that arrives late, after
    // the expiry, fails even if nobody took the lease yet, so the holder learns it lost the lease
    // and a renewal can never resurrect a lease someone else may already have acquired. (The
    // writer cannot differ within an epoch: a new writer only acquires with a new epoch.)
    internal const string RenewSql = """
        UPDATE akka.leases SET expires_at = clock_timestamp() + $4::interval
        WHERE name = $1 AND owner = $2 AND epoch = $3 AND expires_at > clock_timestamp()
        """;

    // Only if still ours at that epoch; the epoch stays, so the next acquirer bumps it.
    internal const string ReleaseSql = """
        UPDATE akka.leases SET owner = NULL, writer = NULL, expires_at = NULL
        WHERE name = $1 AND owner = $2 AND epoch = $3
        """;

    /// <summary>
    /// The epoch acquired, or null when another owner holds the lease unexpired. Ends the open
    /// journal transactions of a previous writer whose lease expired, then waits for the writes
    /// that passed the fence under it (one implicit transaction).
    /// </summary>
    public async Task<long?> AcquireAsync(string name, string owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(EndPreviousWriterSql, name, JournalFence.ApplicationNamePrefix, Writer()));
        batch.BatchCommands.Add(Command(LockSql, name));
        batch.BatchCommands.Add(Command(AcquireSql, name, owner, timeout, Writer()));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
    }

    /// <summary>Whether the lease was still ours, unexpired, at <paramref name="epoch"/>, and is now extended.</summary>
    public async Task<bool> RenewAsync(string name, string owner, long epoch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RenewSql);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = epoch });
        command.Parameters.Add(new NpgsqlParameter { Value = timeout });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Whether the lease was still ours at <paramref name="epoch"/> and is now free.</summary>
    public async Task<bool> ReleaseAsync(string name, string owner, long epoch, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReleaseSql);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = epoch });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private NpgsqlParameter Writer() => new() { Value = (object?)writer ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
