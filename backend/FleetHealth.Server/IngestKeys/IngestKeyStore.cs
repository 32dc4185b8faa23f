using Npgsql;

namespace FleetHealth.Server.IngestKeys;

/// <summary>An ingest key as lists show it: never its secret or the secret's hash.</summary>
public sealed record IngestKeyView(string KeyId, string Name, string? Tag, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>A usable key as the validation cache holds it.</summary>
public sealed record StoredIngestKey(string KeyId, string Name, string? Tag, byte[] SecretHash);

/// <summary>The <c>ingest_keys</c> table (plain SQL). Every change notifies every node (a trigger), see <see cref="IngestKeyCache"/>.</summary>
public sealed class IngestKeyStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "key_id, name, tag, created_at, created_by, revoked_at";

    /// <summary>Creates a key; the returned text is the only time its secret exists outside the caller.</summary>
    public async Task<(IngestKeyView View, string Key)> CreateAsync(string name, string? tag, string createdBy, CancellationToken cancellationToken)
    {
        var (keyId, key, hash) = IngestKeyFormat.Generate();
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO ingest_keys (key_id, name, secret_hash, tag, created_by) VALUES ($1, $2, $3, $4, $5)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = tag, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = createdBy });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (Read(reader), key);
    }

    public async Task<IReadOnlyList<IngestKeyView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM ingest_keys ORDER BY created_at DESC, key_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<IngestKeyView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>Revokes the key (idempotent: the first revocation's time stays); null when there is no such key.</summary>
    public async Task<IngestKeyView?> RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE ingest_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1
            RETURNING {Columns}
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = keyId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Every key not revoked, for the validation cache.</summary>
    public async Task<IReadOnlyList<StoredIngestKey>> LoadValidAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT key_id, name, tag, secret_hash FROM ingest_keys WHERE revoked_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<StoredIngestKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new StoredIngestKey(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<byte[]>(3)));
        }

        return keys;
    }

    private static IngestKeyView Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
