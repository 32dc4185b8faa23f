using FleetHealth.Testing;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Coordination.Tests;

/// <summary>
/// The journal fence's tables on a migrated database, for tests: sensors on chosen shards, lease
/// rows set by hand, fenced sessions and one-statement inserts into <c>akka.event_journal</c>.
/// Each test names its own actor system, so its lease names never meet another test's.
/// </summary>
internal sealed class FenceDatabase(MigratedDatabase database) : IAsyncDisposable
{
    public const int Shards = 4;
    public const string TypeName = "sensor";

    private readonly List<NpgsqlDataSource> _sources = [];

    public NpgsqlDataSource Plain => database.DataSource;

    public static JournalFence Fence(string system, string writer) => new(writer, system, TypeName, Shards);

    /// <summary>
    /// Sessions of <paramref name="fence"/>'s writer; <paramref name="applicationName"/> replaces the
    /// marker a takeover looks for (a session it will not find).
    /// </summary>
    public NpgsqlDataSource Sessions(JournalFence fence, string? applicationName = null) =>
        Source(applicationName is null
            ? fence.ApplyTo(database.ConnectionString)
            : new NpgsqlConnectionStringBuilder(fence.ApplyTo(database.ConnectionString)) { ApplicationName = applicationName }.ConnectionString);

    /// <summary>Unfenced sessions with an application name of their own (to find them in pg_stat_activity).</summary>
    public NpgsqlDataSource Named(string applicationName) =>
        Source(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = applicationName }.ConnectionString);

    /// <summary>Sensor ids <c>{prefix}{n}</c> whose shard (by the database's own function) is <paramref name="shard"/>.</summary>
    public async Task<string[]> SensorsOnAsync(int shard, int count, string prefix)
    {
        await using var command = Plain.CreateCommand(
            "SELECT id FROM (SELECT $1 || g AS id FROM generate_series(1, 10000) g) s WHERE fleethealth_shard_of(id, $2) = $3 ORDER BY id LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        command.Parameters.Add(new NpgsqlParameter { Value = Shards });
        command.Parameters.Add(new NpgsqlParameter { Value = shard });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return [.. ids];
    }

    /// <summary>Sets the shard's lease row: held by owner and writer until now + seconds (negative: expired), or free when owner is null.</summary>
    public async Task LeaseAsync(JournalFence fence, int shard, string? owner, string? writer, double seconds)
    {
        await using var command = Plain.CreateCommand("""
            INSERT INTO akka.leases AS l (name, owner, writer, epoch, acquired_at, expires_at)
            VALUES ($1, $2, $3, 1,
                    CASE WHEN $2 IS NULL THEN NULL ELSE clock_timestamp() END,
                    CASE WHEN $2 IS NULL THEN NULL ELSE clock_timestamp() + make_interval(secs => $4) END)
            ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, writer = EXCLUDED.writer, epoch = l.epoch + 1,
                acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = LeaseName(fence, shard) });
        command.Parameters.Add(Text(owner));
        command.Parameters.Add(Text(writer));
        command.Parameters.Add(new NpgsqlParameter { Value = seconds });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Moves the lease's expiry to the past by the database's clock, without touching its holder.</summary>
    public async Task ExpireAsync(JournalFence fence, int shard)
    {
        await using var command = Plain.CreateCommand("UPDATE akka.leases SET expires_at = clock_timestamp() - interval '1 second' WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = LeaseName(fence, shard) });
        await command.ExecuteNonQueryAsync();
    }

    public static string LeaseName(JournalFence fence, int shard) => fence.LeaseNameOf(shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>One INSERT statement (so one fence check) of event 1 of each sensor's stream <c>sensor/{id}</c>.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, params string[] sensorIds) =>
        await InsertStreamsAsync(connection, transaction, [.. sensorIds.Select(id => "sensor/" + id)]);

    public static async Task InsertStreamsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, params string[] persistenceIds)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO akka.event_journal (created, deleted, persistence_id, sequence_number, message) SELECT 0, false, p, 1, '\\x00' FROM unnest($1::text[]) p",
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceIds });
        await command.ExecuteNonQueryAsync();
    }

    public async Task InsertAsync(NpgsqlDataSource sessions, params string[] sensorIds)
    {
        await using var connection = await sessions.OpenConnectionAsync();
        await InsertAsync(connection, null, sensorIds);
    }

    /// <summary>Journal rows of these sensors' streams.</summary>
    public async Task<long> RowsAsync(params string[] sensorIds)
    {
        await using var command = Plain.CreateCommand("SELECT count(*) FROM akka.event_journal WHERE persistence_id = ANY ($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = sensorIds.Select(id => "sensor/" + id).ToArray() });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Whether a session with this application name is waiting for a lock (a row lock shows as a wait on a transaction id).</summary>
    public async Task<bool> WaitsForLockAsync(string applicationName)
    {
        await using var command = Plain.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock')");
        command.Parameters.Add(new NpgsqlParameter { Value = applicationName });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task<(string? Owner, string? Writer, long Epoch)> LeaseRowAsync(JournalFence fence, int shard)
    {
        await using var command = Plain.CreateCommand("SELECT owner, writer, epoch FROM akka.leases WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = LeaseName(fence, shard) });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            throw new InvalidOperationException($"no lease row for shard {shard} of {fence}");
        }

        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }

    private NpgsqlDataSource Source(string connectionString)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        _sources.Add(source);
        return source;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
