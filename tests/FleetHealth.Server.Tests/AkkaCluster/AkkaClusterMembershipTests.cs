using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Sensors;
using FleetHealth.Testing;
using Xunit.Abstractions;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>
/// Server processes on Akka.NET over one database form one cluster from the same seed-node list,
/// spread the shards, serve any sensor from any node, and hand shards to a node that joins later.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class AkkaClusterMembershipTests(IsolatedDatabase db, ITestOutputHelper output) : IClassFixture<IsolatedDatabase>
{
    private const int Sensors = 30;

    [Fact]
    public async Task Three_nodes_form_one_cluster_spread_the_shards_serve_any_sensor_from_any_node_and_a_fourth_takes_shards_with_their_history()
    {
        await using var cluster = new AkkaTestCluster(db, nodes: 4);
        try
        {
            await Task.WhenAll(cluster.StartAsync(0), cluster.StartAsync(1), cluster.StartAsync(2));
            var nodes = new[] { cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2] };
            var session = await nodes[0].SessionAsAsync("operator");
            var (key, _) = await nodes[0].CreateIngestKeyAsync();
            var clients = nodes.Select(n => n.CreateClient(session, key)).ToList();

            // Every node sees the same three members up, itself among them.
            for (var i = 0; i < 3; i++)
            {
                var status = await Eventually.Until(
                    () => AkkaTestCluster.StatusAsync(clients[i]),
                    s => s.Members.Count(m => m.State == "up") == 3,
                    AkkaTestCluster.Settle,
                    $"node {i} sees three members up");
                Assert.Equal(new[] { cluster.Address(0), cluster.Address(1), cluster.Address(2) }.Order(StringComparer.Ordinal), status.Members.Select(m => m.Address).Order(StringComparer.Ordinal));
                Assert.Equal((cluster.NodeId(i), cluster.Address(i)), (status.NodeId, status.Address));
                Assert.Equal(cluster.Address(i), Assert.Single(status.Members, m => m.Self).Address);
                Assert.Equal(new[] { cluster.NodeId(0), cluster.NodeId(1), cluster.NodeId(2) }.Order(StringComparer.Ordinal), status.Members.Select(m => m.NodeId).Order(StringComparer.Ordinal));
                Assert.All(status.Members, m => Assert.Empty(m.Roles));
            }

            // Any node accepts any sensor: each beat goes to a node chosen without regard to owners,
            // and each sensor is read back (from its actor, wherever it lives) through another node.
            for (var i = 0; i < Sensors; i++)
            {
                using var beat = await clients[i % 3].PostAsJsonAsync($"/api/v1/heartbeats/spread-{i}", new { sequence = 1 });
                Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
            }

            var crossed = 0;
            for (var i = 0; i < Sensors; i++)
            {
                var sensor = await clients[(i + 1) % 3].GetFromJsonAsync<SensorView>($"/api/v1/sensors/spread-{i}");
                Assert.Equal(1, sensor!.HeartbeatCount);
                var owner = await cluster.OwnerOfAsync($"spread-{i}");
                Assert.Contains(owner, new[] { cluster.Owner(0), cluster.Owner(1), cluster.Owner(2) });
                crossed += owner != cluster.Owner(i % 3) ? 1 : 0;
            }

            Assert.True(crossed > 0, "some beats reached sensors whose shard another node holds");

            // The shards in use are spread over the three nodes, and every node reports the same split.
            var leases = await cluster.LeaseOwnersAsync();
            output.WriteLine($"shard leases per node: {string.Join(", ", leases.Select(l => $"{l.Key}={l.Value}"))}");
            Assert.Equal(3, leases.Count);
            var spread = await ShardsPerMemberAsync(clients[2]);
            Assert.All(spread.Values, count => Assert.True(count > 0, "every member holds shards"));
            Assert.Equal(leases.Values.Sum(), spread.Values.Sum());

            // A fourth node joins from the same seed list; the coordinator rebalances shards onto it,
            // each handed over under its lease, and the sensors keep their history there.
            var fourth = await cluster.StartAsync(3);
            var fourthClient = fourth.CreateClient(session, key);
            await Eventually.Until(
                () => cluster.LeaseOwnersAsync(),
                owners => owners.GetValueOrDefault(cluster.Owner(3)) > 0,
                AkkaTestCluster.Settle,
                "the fourth node holds shards");
            var four = await Eventually.Until(
                () => AkkaTestCluster.StatusAsync(fourthClient),
                s => s.Members.Count(m => m.State == "up") == 4 && s.ShardsHere > 0,
                AkkaTestCluster.Settle,
                "the fourth node reports itself up with shards");
            Assert.Equal(cluster.Address(3), four.Address);

            for (var i = 0; i < Sensors; i++)
            {
                var sensor = await fourthClient.GetFromJsonAsync<SensorView>($"/api/v1/sensors/spread-{i}");
                Assert.Equal(1, sensor!.HeartbeatCount);
            }

            var moved = 0;
            for (var i = 0; i < Sensors; i++)
            {
                moved += await cluster.OwnerOfAsync($"spread-{i}") == cluster.Owner(3) ? 1 : 0;
            }

            Assert.True(moved > 0, "some of the sensors' shards moved to the fourth node");
        }
        catch
        {
            foreach (var (index, node) in cluster.Nodes)
            {
                output.WriteLine($"--- node {index} ---\n{node.Output}");
            }

            throw;
        }
    }

    /// <summary>Shards per member address, as the cluster's sharding statistics report them through a node.</summary>
    private static async Task<Dictionary<string, int>> ShardsPerMemberAsync(HttpClient client)
    {
        ClusterStatus status = await Eventually.Until(
            () => AkkaTestCluster.StatusAsync(client),
            s => s.LastError is null && s.Members.Count == 3,
            AkkaTestCluster.Settle,
            "the sharding statistics answer");
        return status.Members.ToDictionary(m => m.Address, m => m.Shards, StringComparer.Ordinal);
    }
}
