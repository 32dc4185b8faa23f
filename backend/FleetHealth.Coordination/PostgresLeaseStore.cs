using Npgsql;

namespace FleetHealth.Coordination;

/// <summary>
/// The SQL of <see cref="PostgresLease"/> on <c>akka.leases</c> (migration 0015). Every statement
/// is one autocommitted statement, so a caller cut off mid-statement leaves no lock behind that
/// could block another owner. Expiry is compared with PostgreSQL's <c>clock_timestamp()</c> only.
/// </summary>
internal sealed class PostgresLeaseStore(NpgsqlDataSource dataSource)
{
    // Free (never taken or released), expired by the database's clock, or already ours. The epoch
    // grows unless this is a re-acquisition of a lease the same owner still holds unexpired, so
    // every change of hands (and every re-take after an expiry) gets a new fencing token.
    // ON CONFLICT locks the row and re-checks the WHERE on its latest version: of two racing
    // acquirers exactly one gets a row back.
    internal const string AcquireSql = """
        INSERT INTO akka.leases AS l (name, owner, epoch, acquired_at, expires_at)
        VALUES ($1, $2, 1, clock_timestamp(), clock_timestamp() + $3::interval)
        ON CONFLICT (name) DO UPDATE SET
            owner = EXCLUDED.owner,
            epoch = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
            acquired_at = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > clock_timestamp() THEN l.acquired_at ELSE clock_timestamp() END,
            expires_at = clock_timestamp() + $3::interval
        WHERE l.owner IS NULL OR l.expires_at <= clock_timestamp() OR l.owner = EXCLUDED.owner
        RETURNING l.epoch
        """;

    // Only an unexpired lease of ours at the epoch we acquired: a renewal that arrives late, after
    // the expiry, fails even if nobody took the lease yet, so the holder learns it lost the lease
    // and a renewal can never resurrect a lease someone else may already have acquired.
    internal const string RenewSql = """
        UPDATE akka.leases SET expires_at = clock_timestamp() + $4::interval
        WHERE name = $1 AND owner = $2 AND epoch = $3 AND expires_at > clock_timestamp()
        """;

    // Only if still ours at that epoch; the epoch stays, so the next acquirer bumps it.
    internal const string ReleaseSql = """
        UPDATE akka.leases SET owner = NULL, expires_at = NULL
        WHERE name = $1 AND owner = $2 AND epoch = $3
        """;

    /// <summary>The epoch acquired, or null when another owner holds the lease unexpired.</summary>
    public async Task<long?> AcquireAsync(string name, string owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(AcquireSql);
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = timeout });
        var epoch = await command.ExecuteScalarAsync(cancellationToken);
        return epoch is long e ? e : null;
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
}
