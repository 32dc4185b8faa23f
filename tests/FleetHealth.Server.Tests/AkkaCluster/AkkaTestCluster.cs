using System.Globalization;
using System.Net.Http.Json;
using FleetHealth.Fleet;
using FleetHealth.Server.Membership;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>
/// Real server processes on the Akka.NET engine over one database, as an operator runs them: each
/// node with a fixed Akka.Remote port on loopback and the same seed-node list (the first
/// <see cref="SeedCount"/> nodes), the server's own cluster timings. Disposing kills them all.
/// </summary>
internal sealed class AkkaTestCluster : IAsyncDisposable
{
    public const int SeedCount = 3;
    public const int Shards = 256;

    // Generous deadlines: the test classes share two cores with other work.
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private readonly IsolatedDatabase _db;
    private readonly IDictionary<string, string> _settings;
    private readonly List<int> _akkaPorts = [];
    private readonly List<ServerProcess> _all = [];

    public AkkaTestCluster(IsolatedDatabase db, int nodes, IDictionary<string, string>? settings = null)
    {
        _db = db;
        _settings = settings ?? new Dictionary<string, string>();
        while (_akkaPorts.Count < nodes)
        {
            var port = FreePort.Next();
            if (!_akkaPorts.Contains(port))
            {
                _akkaPorts.Add(port);
            }
        }
    }

    /// <summary>Started nodes by index (0 is the first seed, the cluster's oldest member).</summary>
    public Dictionary<int, ServerProcess> Nodes { get; } = [];

    public IEnumerable<string> SeedNodes => _akkaPorts.Take(SeedCount).Select(p => $"akka.tcp://{Name(p)}");

    /// <summary>Node <paramref name="index"/>'s address as Akka prints it (<c>akka.tcp://fleethealth@127.0.0.1:port</c>).</summary>
    public string Address(int index) => $"akka.tcp://{Owner(index)}";

    /// <summary>Node <paramref name="index"/>'s id in <c>GET /api/v1/cluster</c> (host:port).</summary>
    public string NodeId(int index) => $"127.0.0.1:{_akkaPorts[index].ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Node <paramref name="index"/>'s name as a shard lease owner (<c>fleethealth@127.0.0.1:port</c>).</summary>
    public string Owner(int index) => Name(_akkaPorts[index]);

    /// <summary>Starts node <paramref name="index"/>, on <paramref name="connectionString"/> if given (e.g. through a proxy), else the cluster's database.</summary>
    public async Task<ServerProcess> StartAsync(int index, string? connectionString = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Fleet:Hostname"] = "127.0.0.1",
            ["Fleet:Port"] = _akkaPorts[index].ToString(CultureInfo.InvariantCulture),
            ["Fleet:Shards"] = Shards.ToString(CultureInfo.InvariantCulture),
        };
        var seed = 0;
        foreach (var node in SeedNodes)
        {
            all[$"Fleet:SeedNodes:{seed++}"] = node;
        }

        foreach (var (key, value) in _settings)
        {
            all[key] = value;
        }

        var server = await ServerProcess.StartAsync(connectionString ?? _db.ConnectionString, all);
        lock (_all)
        {
            _all.Add(server);
            Nodes[index] = server;
        }

        // Ready = database, schema, keys and tag settings, and this node an Up member of the cluster.
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, Settle, $"node {index} becomes ready");
        return server;
    }

    public static async Task<ClusterStatus> StatusAsync(HttpClient viewer) =>
        (await viewer.GetFromJsonAsync<ClusterStatus>("/api/v1/cluster"))!;

    /// <summary>Unexpired shard leases per owner, straight from akka.leases.</summary>
    public async Task<Dictionary<string, int>> LeaseOwnersAsync()
    {
        await using var command = _db.DataSource.CreateCommand(
            "SELECT owner, count(*) FROM akka.leases WHERE owner IS NOT NULL AND expires_at > clock_timestamp() GROUP BY owner");
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            owners[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return owners;
    }

    /// <summary>The owner of the unexpired lease of the sensor's shard, if any.</summary>
    public async Task<string?> OwnerOfAsync(string sensorId)
    {
        await using var command = _db.DataSource.CreateCommand("SELECT owner FROM akka.leases WHERE name = $1 AND expires_at > clock_timestamp()");
        command.Parameters.Add(new NpgsqlParameter { Value = LeaseName(sensorId) });
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Sharding's lease name of the sensor's shard (<c>{system}-shard-{type}-{shard}</c>).</summary>
    public static string LeaseName(string sensorId) =>
        $"fleethealth-shard-sensor-{SensorShard.Of(sensorId, Shards).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>(sensor, sequence) of every heartbeat in akka.event_journal of sensors whose id starts with <paramref name="prefix"/>, with how often it is there.</summary>
    public async Task<Dictionary<(string Sensor, long Sequence), int>> JournalBeatsAsync(string prefix)
    {
        await using var command = _db.DataSource.CreateCommand("""
            SELECT substr(persistence_id, 8), (convert_from(message, 'UTF8')::jsonb ->> 'sequence')::bigint, count(*)
            FROM akka.event_journal
            WHERE manifest = 'sensor.heartbeat.v1' AND starts_with(persistence_id, 'sensor/' || $1)
            GROUP BY 1, 2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        var beats = new Dictionary<(string, long), int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            beats[(reader.GetString(0), reader.GetInt64(1))] = (int)reader.GetInt64(2);
        }

        return beats;
    }

    public async ValueTask DisposeAsync()
    {
        List<ServerProcess> all;
        lock (_all)
        {
            all = [.. _all];
        }

        foreach (var server in all)
        {
            await server.DisposeAsync();
        }
    }

    private static string Name(int port) => $"fleethealth@127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
}
