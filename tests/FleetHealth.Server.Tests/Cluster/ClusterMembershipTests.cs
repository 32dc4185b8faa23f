using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Sensors;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>The cluster's test classes start several server processes each: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterProcesses
{
    public const string Name = "Cluster processes";
}

/// <summary>Real server processes over one database join, share the shards, and serve any sensor from any node.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterMembershipTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task Three_nodes_split_the_shards_evenly_a_fourth_takes_a_fair_share_and_any_node_serves_any_sensor()
    {
        await using var cluster = new TestCluster(db);
        await Task.WhenAll(cluster.StartAsync("n1"), cluster.StartAsync("n2"), cluster.StartAsync("n3"));

        var three = await cluster.BalancedAmongAsync("n1", "n2", "n3");
        Assert.All(three.Values, count => Assert.InRange(count, 85, 86));

        // Any node accepts any sensor: each beat goes to a node chosen without regard to owners,
        // and each sensor is read back through yet another node.
        var nodes = cluster.Nodes.Values.ToList();
        for (var i = 0; i < 30; i++)
        {
            using var beat = await (await nodes[i % 3].TrustedClientAsync()).PostAsJsonAsync($"/api/v1/heartbeats/spread-{i}", new { sequence = 1 });
            Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
        }

        for (var i = 0; i < 30; i++)
        {
            var sensor = await (await nodes[(i + 1) % 3].TrustedClientAsync()).GetFromJsonAsync<SensorView>($"/api/v1/sensors/spread-{i}");
            Assert.Equal(1, sensor!.HeartbeatCount);
        }

        var forwarded = 0L;
        foreach (var node in nodes)
        {
            forwarded += (await TestCluster.StatusAsync(node)).Forwarded;
        }

        Assert.True(forwarded > 0, "beats reached sensors owned by other nodes through forwarding");

        var fourth = await cluster.StartAsync("n4");
        var four = await cluster.BalancedAmongAsync("n1", "n2", "n3", "n4");
        Assert.All(four.Values, count => Assert.Equal(64, count));

        // The node learns of shards handed to it at its next renewal.
        var status = await Eventually.Until(() => TestCluster.StatusAsync(fourth), s => s.ShardsHere == 64, TestCluster.Settle, "n4 serves its 64 shards");
        Assert.Equal("n4", status.NodeId);
        Assert.Equal(["n1", "n2", "n3", "n4"], status.Members.Where(m => m.State == "up").Select(m => m.NodeId).Order());
        Assert.Contains(status.Events, e => e.Kind == "handed-off" && e.To == "n4");

        // Handed-over sensors keep their history: each is still counted once, from any node.
        for (var i = 0; i < 30; i++)
        {
            var path = $"/api/v1/sensors/spread-{i}";
            await Eventually.Until(async () => (await (await fourth.TrustedClientAsync()).GetFromJsonAsync<SensorView>(path))!.HeartbeatCount, count => count == 1, TestCluster.Settle, path);
        }
    }
}
