using Npgsql;

namespace FleetHealth.Server.Auth;

/// <summary>A live session with its operator's current name and role.</summary>
public sealed record OperatorSession(long OperatorId, string UserName, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The <c>operator_sessions</c> table: sessions are kept by the SHA-256 of their token, so a copy
/// of the table signs nobody in. A session of a disabled operator is never found.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource)
{
    // What makes a session open, for every lookup of one ($2: now): unexpired, its operator enabled.
    private const string OpenSessions = "FROM operator_sessions s JOIN operators o ON o.id = s.operator_id WHERE s.expires_at > $2 AND o.disabled_at IS NULL";

    /// <summary>Stores a new session (and clears out expired ones, so the table does not grow).</summary>
    public async Task CreateAsync(long operatorId, byte[] tokenHash, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var sweep = new NpgsqlBatchCommand("DELETE FROM operator_sessions WHERE expires_at <= $1");
        sweep.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        var insert = new NpgsqlBatchCommand("INSERT INTO operator_sessions (token_hash, operator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)");
        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = operatorId });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt });
        batch.BatchCommands.Add(sweep);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The unexpired session of an enabled operator with this token hash, or null.</summary>
    public async Task<OperatorSession?> FindAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT o.id, o.user_name, o.role, s.created_at, s.expires_at {OpenSessions} AND s.token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new OperatorSession(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4))
            : null;
    }

    /// <summary>Which of <paramref name="tokenHashes"/> are still unexpired sessions of enabled operators (one query for all).</summary>
    public async Task<HashSet<string>> StillOpenAsync(IReadOnlyCollection<byte[]> tokenHashes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand($"SELECT s.token_hash {OpenSessions} AND s.token_hash = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. tokenHashes] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            open.Add(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)));
        }

        return open;
    }

    public async Task ExtendAsync(byte[] tokenHash, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE operator_sessions SET expires_at = $2 WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expiresAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Ends every session of the operator except <paramref name="except"/> (a token hash; null: all), inside
    /// the caller's transaction, so that the change that ends them (a new password, disabling) and the
    /// ending commit together.
    /// </summary>
    public static async Task EndSessionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long operatorId, byte[]? except, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM operator_sessions WHERE operator_id = $1 AND ($2::bytea IS NULL OR token_hash <> $2)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = operatorId });
        command.Parameters.Add(new NpgsqlParameter<byte[]?> { TypedValue = except, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteAsync(byte[] tokenHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM operator_sessions WHERE token_hash = $1");
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = tokenHash });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
