using Npgsql;

namespace FleetHealth.Server.Auth;

/// <summary>An operator account as stored (the hash never leaves the server).</summary>
public sealed record OperatorAccount(
    long Id, string UserName, string Role, string PasswordHash, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt);

/// <summary>
/// What an admin may change on an operator; null fields stay as they are. <see cref="KeepSession"/>
/// (a session token hash) survives a new password: the operator changing their own stays signed in there.
/// </summary>
public sealed record OperatorChange(string? Role = null, string? PasswordHash = null, bool? Disabled = null, byte[]? KeepSession = null);

/// <summary>How an <see cref="OperatorStore.UpdateAsync"/> ended.</summary>
public enum OperatorUpdate
{
    Done,
    NotFound,

    /// <summary>Refused: it would leave no enabled admin, and nobody could manage operators any more.</summary>
    LastAdmin,
}

/// <summary>The <c>operators</c> table (plain SQL). Names passed in are already normalised (<see cref="OperatorName"/>).</summary>
public sealed class OperatorStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, user_name, role, password_hash, created_at, created_by, disabled_at";

    public async Task<OperatorAccount?> FindAsync(string userName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM operators WHERE user_name = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userName });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM operators ORDER BY user_name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<OperatorAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(Read(reader));
        }

        return accounts;
    }

    /// <summary>Creates the operator; null when the name is taken.</summary>
    public async Task<OperatorAccount?> CreateAsync(string userName, string role, string passwordHash, string createdBy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO operators (user_name, role, password_hash, created_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_name) DO NOTHING
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = role });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = passwordHash });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = createdBy });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>
    /// Applies <paramref name="change"/> in one transaction. A new password or disabling ends the
    /// operator's sessions (a new password: all but <see cref="OperatorChange.KeepSession"/>); a role change takes effect on their next request (roles are read per
    /// request). The enabled admins are locked first, so two admins demoting each other at once
    /// cannot both succeed and leave none.
    /// </summary>
    public async Task<(OperatorUpdate Result, OperatorAccount? Account)> UpdateAsync(string userName, OperatorChange change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long admins;
        await using (var lockAdmins = new NpgsqlCommand("SELECT count(*) FROM (SELECT id FROM operators WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE) a", connection, transaction))
        {
            admins = (long)(await lockAdmins.ExecuteScalarAsync(cancellationToken))!;
        }

        OperatorAccount? current;
        await using (var find = new NpgsqlCommand($"SELECT {Columns} FROM operators WHERE user_name = $1 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userName });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            current = await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }

        if (current is null)
        {
            return (OperatorUpdate.NotFound, null);
        }

        var staysAdmin = (change.Role ?? current.Role) == OperatorRoles.Admin && !(change.Disabled ?? (current.DisabledAt is not null));
        if (current is { Role: OperatorRoles.Admin, DisabledAt: null } && !staysAdmin && admins <= 1)
        {
            return (OperatorUpdate.LastAdmin, current);
        }

        OperatorAccount updated;
        await using (var update = new NpgsqlCommand($"""
            UPDATE operators SET
                role = coalesce($2, role),
                password_hash = coalesce($3, password_hash),
                password_changed_at = CASE WHEN $3 IS NULL THEN password_changed_at ELSE now() END,
                disabled_at = CASE WHEN $4 IS NULL THEN disabled_at WHEN $4 THEN coalesce(disabled_at, now()) END
            WHERE id = $1
            RETURNING {Columns}
            """, connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = current.Id });
            update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = change.Role, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = change.PasswordHash, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            update.Parameters.Add(new NpgsqlParameter<bool?> { TypedValue = change.Disabled, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Boolean });
            await using var reader = await update.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            updated = Read(reader);
        }

        if (change.Disabled is true)
        {
            await SessionStore.EndSessionsAsync(connection, transaction, current.Id, except: null, cancellationToken);
        }
        else if (change.PasswordHash is not null)
        {
            await SessionStore.EndSessionsAsync(connection, transaction, current.Id, change.KeepSession, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (OperatorUpdate.Done, updated);
    }

    private static OperatorAccount Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetString(5),
        reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
}
