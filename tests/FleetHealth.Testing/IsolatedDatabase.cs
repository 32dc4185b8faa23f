using FleetHealth.Database;
using Npgsql;
using Xunit;

namespace FleetHealth.Testing;

/// <summary>
/// A database of its own for one test class (use as <c>IClassFixture</c>), created on the run's
/// shared server and dropped afterwards, so classes never see each other's rows.
/// </summary>
public class IsolatedDatabase : IAsyncLifetime
{
    private readonly bool _migrate;

    public IsolatedDatabase() : this(migrate: false)
    {
    }

    protected IsolatedDatabase(bool migrate)
    {
        _migrate = migrate;
        Name = $"t_{Guid.NewGuid():N}"[..20];
        ConnectionString = new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        DataSource = NpgsqlDataSource.Create(ConnectionString);
        if (_migrate)
        {
            await new Migrator(DataSource, MigrationSource.Embedded).MigrateAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>An <see cref="IsolatedDatabase"/> with every migration of this build applied.</summary>
public sealed class MigratedDatabase : IsolatedDatabase
{
    public MigratedDatabase() : base(migrate: true)
    {
    }
}
