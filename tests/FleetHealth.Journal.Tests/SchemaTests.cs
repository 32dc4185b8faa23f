using Akka.Persistence;
using FleetHealth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace FleetHealth.Journal.Tests;

/// <summary>
/// Migration 0014 is the schema the plugin would create for itself: a database it auto-initialized
/// and the migrated one have the same tables, columns, keys and indexes in schema akka. A plugin
/// upgrade that changes its mapping fails here, before production (auto-initialize off) meets it.
/// </summary>
public sealed class SchemaTests(MigratedDatabase migrated, ITestOutputHelper output) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    // akka.leases (migration 0015, FleetHealth.Coordination's lease) shares the schema but is not the plugin's.
    private const string Catalog = """
        SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
               || ' #' || a.attnum
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'akka' AND c.relname <> 'leases' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT indexdef FROM pg_indexes WHERE schemaname = 'akka' AND tablename <> 'leases'
        UNION ALL
        SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'akka'::regnamespace AND conrelid IS DISTINCT FROM to_regclass('akka.leases')
        UNION ALL
        SELECT 'table ' || tablename FROM pg_tables WHERE schemaname = 'akka' AND tablename <> 'leases'
        ORDER BY 1
        """;

    private readonly IsolatedDatabase _autoInitialized = new();

    public Task InitializeAsync() => _autoInitialized.InitializeAsync();

    public Task DisposeAsync() => _autoInitialized.DisposeAsync();

    [Fact]
    public async Task The_migrated_schema_is_the_one_the_plugin_auto_initializes()
    {
        // The plugin creates tables, not the schema it is told to use.
        await using (var create = _autoInitialized.DataSource.CreateCommand("CREATE SCHEMA akka"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var config = JournalTestConfig.For(_autoInitialized.ConnectionString, overrides: """
            akka.persistence.journal.sql.auto-initialize = on
            akka.persistence.snapshot-store.sql.auto-initialize = on
            """);
        using (var kit = new Kit(config, output))
        {
            // The journal and the snapshot store create their tables when they start; a write proves it is done.
            var recorder = kit.Sys.ActorOf(Recorder.Props("schema-1"));
            recorder.Tell(new Recorder.Add("a", "t"), kit.TestActor);
            kit.ExpectMsg<Recorder.Added>(TimeSpan.FromSeconds(30));
            recorder.Tell(new Recorder.TakeSnapshot(), kit.TestActor);
            kit.ExpectMsg<SaveSnapshotSuccess>(TimeSpan.FromSeconds(30));
        }

        var expected = await ReadCatalogAsync(_autoInitialized.DataSource);
        var actual = await ReadCatalogAsync(migrated.DataSource);
        output.WriteLine(string.Join('\n', expected));
        Assert.Contains("table event_journal", expected);
        Assert.Contains("table snapshot_store", expected);
        Assert.Equal(expected, actual);
    }

    private static async Task<List<string>> ReadCatalogAsync(NpgsqlDataSource dataSource)
    {
        var rows = new List<string>();
        await using var command = dataSource.CreateCommand(Catalog);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private sealed class Kit(Akka.Configuration.Config config, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(config, output: output)
    {
    }
}
