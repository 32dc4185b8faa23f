using System.Net.Http.Json;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Membership;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>
/// Several real server processes on loopback ports over one database, with short cluster timings
/// (lease 3 s, renewal every 0.5 s) so that failovers take seconds. Disposing kills them all.
/// </summary>
internal sealed class TestCluster(IsolatedDatabase db, int shards = 256, IDictionary<string, string>? settings = null) : IAsyncDisposable
{
    public const string Secret = "test-cluster-secret";
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    // Generous deadlines: the test classes share two cores with other work.
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private readonly List<ServerProcess> _all = [];

    public int Shards => shards;

    public Dictionary<string, ServerProcess> Nodes { get; } = new(StringComparer.Ordinal);

    public async Task<ServerProcess> StartAsync(string nodeId, string? connectionString = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Cluster:NodeId"] = nodeId,
            ["Cluster:Secret"] = Secret,
            ["Cluster:Shards"] = shards.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:LeaseSeconds"] = Lease.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:RenewIntervalSeconds"] = "0.5",
            ["Cluster:SafetyMarginSeconds"] = "0.75",
            ["Cluster:MemberDownAfterSeconds"] = "3",
            ["Cluster:ForwardConnectTimeoutMilliseconds"] = "500",
            ["Logging:LogLevel:FleetHealth.Server.Cluster"] = "Debug",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var server = await ServerProcess.StartAsync(connectionString ?? db.ConnectionString, all);
        lock (_all)
        {
            _all.Add(server);
            Nodes[nodeId] = server;
        }

        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, Settle, $"{nodeId} becomes ready");
        await server.TrustedClientAsync(); // credentials made while the node is healthy (some tests cut it off later)
        return server;
    }

    /// <summary>Valid leases per owner, straight from the database.</summary>
    public async Task<Dictionary<string, int>> OwnersAsync()
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT owner, count(*) FROM shard_leases WHERE owner IS NOT NULL AND expires_at > clock_timestamp() GROUP BY owner");
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            owners[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return owners;
    }

    /// <summary>The node holding the shard's valid lease now, if any.</summary>
    public async Task<string?> OwnerOfAsync(int shard)
    {
        await using var command = db.DataSource.CreateCommand("SELECT owner FROM shard_leases WHERE shard = $1 AND expires_at > clock_timestamp()");
        command.Parameters.Add(new NpgsqlParameter { Value = shard });
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Pending rebalance requests (handoffs asked for, not done yet).</summary>
    public async Task<long> PendingHandoffsAsync()
    {
        await using var command = db.DataSource.CreateCommand("SELECT count(*) FROM shard_leases WHERE handoff_to IS NOT NULL");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until exactly these nodes hold every shard, each floor(S/N) or ceil(S/N) of them, with no handoff pending.</summary>
    public async Task<Dictionary<string, int>> BalancedAmongAsync(params string[] nodeIds)
    {
        var floor = shards / nodeIds.Length;
        var ceiling = floor + (shards % nodeIds.Length == 0 ? 0 : 1);
        return await Eventually.Until(
            async () => (await PendingHandoffsAsync()) == 0 ? await OwnersAsync() : [],
            owners => owners.Count == nodeIds.Length && nodeIds.All(owners.ContainsKey) && owners.Values.Sum() == shards
                && owners.Values.All(c => c >= floor && c <= ceiling),
            Settle,
            $"{string.Join(", ", nodeIds)} share the {shards} shards evenly");
    }

    public static async Task<ClusterStatus> StatusAsync(ServerProcess node) =>
        (await (await node.TrustedClientAsync()).GetFromJsonAsync<ClusterStatus>("/api/v1/cluster"))!;

    /// <summary>A sensor id whose shard <paramref name="nodeId"/> holds now.</summary>
    public async Task<string> SensorOwnedByAsync(string nodeId, string prefix)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var id = $"{prefix}{i}";
            if (await OwnerOfAsync(ShardId.Of(id, shards)) == nodeId)
            {
                return id;
            }
        }

        throw new InvalidOperationException($"No sensor id found on {nodeId}.");
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
}
