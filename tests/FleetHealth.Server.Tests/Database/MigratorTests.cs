using FleetHealth.Database;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Database;

/// <summary>Each test migrates a schema of its own inside the class's database.</summary>
public sealed class MigratorTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private static readonly Migration[] ThreeSteps =
    [
        new(1, "create", "CREATE TABLE widgets (id int PRIMARY KEY)"),
        new(2, "add_column", "ALTER TABLE widgets ADD COLUMN name text NOT NULL DEFAULT ''"),
        new(3, "seed", "INSERT INTO widgets (id, name) VALUES (1, 'first')"),
    ];

    [Fact]
    public async Task Migrations_are_applied_in_order_and_recorded()
    {
        await using var source = await NewSchemaAsync();
        var migrator = new Migrator(source, ThreeSteps);

        var applied = await migrator.MigrateAsync();

        Assert.Equal([1, 2, 3], applied);
        Assert.Equal("first", await ScalarAsync<string>(source, "SELECT name FROM widgets WHERE id = 1"));
        Assert.Equal(3, await ScalarAsync<long>(source, "SELECT count(*) FROM schema_migrations"));
        Assert.Equal(3, await Migrator.AppliedVersionAsync(source));
    }

    [Fact]
    public async Task A_second_run_applies_nothing_and_a_new_migration_is_applied_alone()
    {
        await using var source = await NewSchemaAsync();
        await new Migrator(source, ThreeSteps[..2]).MigrateAsync();

        Assert.Empty(await new Migrator(source, ThreeSteps[..2]).MigrateAsync());
        Assert.Equal([3], await new Migrator(source, ThreeSteps).MigrateAsync());
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_alone_and_is_not_recorded()
    {
        await using var source = await NewSchemaAsync();
        Migration[] broken = [ThreeSteps[0], new(2, "broken", "ALTER TABLE widgets ADD COLUMN x int; SELECT * FROM no_such_table")];

        var error = await Assert.ThrowsAsync<PostgresException>(() => new Migrator(source, broken).MigrateAsync());

        Assert.Equal(PostgresErrorCodes.UndefinedTable, error.SqlState);
        Assert.Equal(1, await Migrator.AppliedVersionAsync(source));
        Assert.Equal(0, await ScalarAsync<long>(source, "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'x'"));
    }

    [Fact]
    public async Task An_edited_landed_migration_stops_the_start()
    {
        await using var source = await NewSchemaAsync();
        await new Migrator(source, ThreeSteps[..1]).MigrateAsync();
        Migration[] edited = [ThreeSteps[0] with { Sql = "CREATE TABLE widgets (id bigint PRIMARY KEY)" }];

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Migrator(source, edited).MigrateAsync());

        Assert.Contains("0001_create", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nodes_starting_at_once_apply_each_migration_exactly_once()
    {
        await using var source = await NewSchemaAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => new Migrator(source, MigrationSource.Embedded).MigrateAsync())));

        Assert.Equal(MigrationSource.Embedded.Select(m => m.Version), results.SelectMany(r => r).Order());
        Assert.Equal(MigrationSource.Embedded.Count, await ScalarAsync<long>(source, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public void Shipped_migrations_are_numbered_without_gaps()
    {
        Assert.NotEmpty(MigrationSource.Embedded);
        var shipped = MigrationSource.Embedded.Select(m => m.Version).ToList();
        Assert.Equal(Enumerable.Range(1, shipped[^1]), shipped);
    }

    [Theory]
    [InlineData("create.sql")]
    [InlineData("0000_zero.sql")]
    [InlineData("x1_bad.sql")]
    public void Badly_named_migration_files_are_refused(string fileName)
    {
        Assert.Throws<InvalidOperationException>(() => Migration.FromFile(fileName, "SELECT 1"));
    }

    private async Task<NpgsqlDataSource> NewSchemaAsync()
    {
        var schema = $"m_{Guid.NewGuid():N}"[..16];
        await using (var create = db.DataSource.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { SearchPath = schema }.ConnectionString);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
