using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FleetHealth.Database;
using FleetHealth.Bench.Infrastructure;
using Npgsql;

namespace FleetHealth.Bench;

/// <summary>
/// A fresh, migrated database for one benchmark run: on the server named by FLEETHEALTH_DB, or on a
/// private server started through scripts/pg.sh (in .local/bench-pg, on a free port) and stopped at the end.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private readonly Dictionary<string, string>? _privateServer;

    private BenchDatabase(string adminConnectionString, Dictionary<string, string>? privateServer, string name)
    {
        _adminConnectionString = adminConnectionString;
        _privateServer = privateServer;
        Name = name;
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 64 };
        DataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public string Name { get; }

    public NpgsqlDataSource DataSource { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = Name }.ConnectionString;

    public static async Task<BenchDatabase> CreateAsync()
    {
        var configured = Environment.GetEnvironmentVariable("FLEETHEALTH_DB");
        Dictionary<string, string>? privateServer = null;
        string admin;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            admin = configured;
        }
        else
        {
            privateServer = new Dictionary<string, string>
            {
                ["FLEETHEALTH_PG_DIR"] = Repo.Path(".local", "bench-pg"),
                ["FLEETHEALTH_PG_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            };
            Script("start", privateServer);
            admin = Script("url", privateServer).Trim();
        }

        var name = $"bench_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var database = new BenchDatabase(admin, privateServer, name);
        await new Migrator(database.DataSource, MigrationSource.Embedded).MigrateAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var connection = new NpgsqlConnection(_adminConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        if (_privateServer is not null)
        {
            Script("stop", _privateServer);
        }
    }

    /// <summary>A loopback TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Script(string verb, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo("bash", [Repo.Path("scripts", "pg.sh"), verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return process.ExitCode == 0
            ? stdout.Result
            : throw new InvalidOperationException($"scripts/pg.sh {verb} failed ({process.ExitCode}): {stderr.Result}");
    }
}
