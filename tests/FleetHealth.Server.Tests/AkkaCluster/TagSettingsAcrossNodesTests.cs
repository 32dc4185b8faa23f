using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tags;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>Two server processes in one cluster: a tag change made through one re-times the sensors the other holds.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class TagSettingsAcrossNodesTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task A_tag_change_made_on_node_a_re_times_a_sensor_whose_actor_is_on_node_b()
    {
        await using var cluster = new AkkaTestCluster(db, nodes: 2);
        var a = await cluster.StartAsync(0);
        var b = await cluster.StartAsync(1);
        var onA = await a.TrustedClientAsync();
        var onB = await b.TrustedClientAsync();
        await Eventually.Until(async () => (await AkkaTestCluster.StatusAsync(onA)).Members.Count(m => m.State == "up"), up => up == 2, AkkaTestCluster.Settle, "both nodes are up");

        // A sensor whose shard node B holds, so its actor lives there (shards are placed on first use).
        string? sensor = null;
        for (var i = 0; i < 64 && sensor is null; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await onA.PostAsync($"/api/v1/heartbeats/nodes-{i}", null)).StatusCode);
            sensor = await cluster.OwnerOfAsync($"nodes-{i}") == cluster.Owner(1) ? $"nodes-{i}" : null;
        }

        Assert.NotNull(sensor);
        Assert.Equal(HttpStatusCode.OK, (await onB.PutAsJsonAsync($"/api/v1/sensors/{sensor}/settings", new SensorSettingsBody(null, null, ["nodes-fast"]))).StatusCode);
        var before = (await onB.GetFromJsonAsync<SensorView>($"/api/v1/sensors/{sensor}"))!;
        Assert.Equal(("healthy", 60.0), (before.Status, before.Effective.IntervalSeconds));

        using var put = await onA.PutAsJsonAsync("/api/v1/tags/nodes-fast/settings", new TagSettingsBody(1, 0));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // Under the fleet's 60 + 30 s it would stay healthy for a minute and a half; B hears the change and re-times it.
        var late = await Eventually.Until(
            () => onB.GetFromJsonAsync<SensorView>($"/api/v1/sensors/{sensor}"), s => s!.Status == "late", TimeSpan.FromSeconds(30), "node B turns the sensor late");
        Assert.Equal(new EffectiveSettings(1, new SettingFrom("tag", "nodes-fast"), 0, new SettingFrom("tag", "nodes-fast")), late!.Effective);
        Assert.Equal(late.LastSeen!.Value.AddSeconds(1), late.StatusSince);
        Assert.Equal(cluster.Owner(1), await cluster.OwnerOfAsync(sensor!));
    }
}
