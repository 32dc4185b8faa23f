using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FleetHealth.Bench.Infrastructure;

/// <summary>
/// A fresh database for one benchmark run: on FLEETHEALTH_DB's server if set, else on a private
/// PostgreSQL in .local/bench-pg started (and stopped) through scripts/pg.sh.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly Dictionary<string, string>? _privateEnv;
    private readonly string _adminConnectionString;

    private BenchDatabase(string adminConnectionString, string name, Dictionary<string, string>? privateEnv)
    {
        _adminConnectionString = adminConnectionString;
        _privateEnv = privateEnv;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
        Name = name;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var configured = Environment.GetEnvironmentVariable("FLEETHEALTH_DB");
        Dictionary<string, string>? env = null;
        if (string.IsNullOrWhiteSpace(configured))
        {
            env = new Dictionary<string, string>
            {
                ["FLEETHEALTH_PG_DIR"] = Repo.Path(".local", "bench-pg"),
                ["FLEETHEALTH_PG_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            Script("start", env);
            configured = Script("url", env).Trim();
        }

        var name = $"bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var admin = new NpgsqlConnection(configured))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new BenchDatabase(configured, name, env);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(_adminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        if (_privateEnv is not null)
        {
            Script("stop", _privateEnv);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Script(string verb, Dictionary<string, string> env)
    {
        var start = new ProcessStartInfo("bash", [Repo.Path("scripts", "pg.sh"), verb]) { RedirectStandardOutput = true };
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"scripts/pg.sh {verb} failed ({process.ExitCode}).");
    }
}
