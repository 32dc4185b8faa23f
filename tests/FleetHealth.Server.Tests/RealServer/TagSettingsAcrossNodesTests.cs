using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tags;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>Two server processes on one database: a tag change made through one re-times the sensors the other holds.</summary>
public sealed class TagSettingsAcrossNodesTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task A_tag_change_made_on_node_a_re_times_a_sensor_whose_actor_is_on_node_b()
    {
        await using var a = await ServerProcess.StartAsync(db.ConnectionString);
        await Eventually.Until(() => a.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "node A ready");
        await using var b = await ServerProcess.StartAsync(db.ConnectionString);
        await Eventually.Until(() => b.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "node B ready");

        var onA = await a.TrustedClientAsync();
        var onB = await b.TrustedClientAsync();

        // A sensor whose shard node B owns, so its actor lives there (the two nodes share the shards).
        var nodeB = (await onB.GetFromJsonAsync<ClusterStatus>("/api/v1/cluster"))!.NodeId;
        var sensor = await Eventually.Until(() => SensorOwnedByAsync(nodeB), id => id is not null, TimeSpan.FromSeconds(60), "node B owns some shards");
        Assert.Equal(HttpStatusCode.Accepted, (await onB.PostAsync($"/api/v1/heartbeats/{sensor}", null)).StatusCode);
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
        Assert.Equal(0, (await onA.GetFromJsonAsync<Operations.NodeStatus>("/api/v1/status"))!.ResidentSensors);
    }

    /// <summary>An id among nodes-0…999 whose shard <paramref name="nodeId"/> holds a valid lease on now, if any.</summary>
    private async Task<string?> SensorOwnedByAsync(string nodeId)
    {
        await using var command = db.DataSource.CreateCommand("""
            SELECT 'nodes-' || n FROM generate_series(0, 999) AS n
            JOIN shard_leases l ON l.shard = fleethealth_shard_of('nodes-' || n, (SELECT count(*)::int FROM shard_leases))
            WHERE l.owner = $1 AND l.expires_at > clock_timestamp() ORDER BY n LIMIT 1
            """);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = nodeId });
        return await command.ExecuteScalarAsync() as string;
    }
}
