using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Testing;
using Xunit.Abstractions;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>
/// The sensors of a killed node that are never heard from again still keep their deadlines on the
/// survivors: nothing asks for them, yet each turns stale at its true deadline (the deadline keeper,
/// on whichever node leads the projection, wakes them through the shard region).
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class AkkaClusterSilentSensorTests(IsolatedDatabase db, ITestOutputHelper output) : IClassFixture<IsolatedDatabase>
{
    private const int Sensors = 24;
    private const double StaleAfterSeconds = 25;

    [Fact]
    public async Task Silent_sensors_of_a_killed_node_turn_stale_at_their_true_deadlines_on_the_survivors()
    {
        await using var cluster = new AkkaTestCluster(db, nodes: 3, new Dictionary<string, string>
        {
            ["Liveness:DefaultIntervalSeconds"] = "2",
            ["Liveness:DefaultGraceSeconds"] = "1",
            ["Liveness:StaleAfterSeconds"] = StaleAfterSeconds.ToString(CultureInfo.InvariantCulture),
        });
        await Task.WhenAll(cluster.StartAsync(0), cluster.StartAsync(1), cluster.StartAsync(2));
        var session = await cluster.Nodes[0].SessionAsAsync("operator");
        var (key, _) = await cluster.Nodes[0].CreateIngestKeyAsync();
        using var client = cluster.Nodes[0].CreateClient(session, key);

        var heardAt = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < Sensors; i++)
        {
            var sensor = $"silent-{i}";
            using var response = await client.PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence = 1 });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            heardAt[sensor] = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("receivedAt").GetDateTimeOffset();
        }

        // Kill a node that holds some of them (not node 0, which the test talks to).
        const int victim = 1;
        var onVictim = new List<string>();
        foreach (var sensor in heardAt.Keys)
        {
            if (await cluster.OwnerOfAsync(sensor) == cluster.Owner(victim))
            {
                onVictim.Add(sensor);
            }
        }

        Assert.NotEmpty(onVictim);
        cluster.Nodes[victim].Kill();
        output.WriteLine($"killed node {victim} holding {onVictim.Count} of the silent sensors");

        var stale = await Eventually.Until(
            StaleTransitionsAsync,
            found => heardAt.Keys.All(found.ContainsKey),
            TimeSpan.FromSeconds(StaleAfterSeconds) + AkkaTestCluster.Settle,
            "every silent sensor turns stale, the killed node's included");
        foreach (var (sensor, at) in heardAt)
        {
            Assert.Equal(at + TimeSpan.FromSeconds(StaleAfterSeconds), stale[sensor]);
        }
    }

    private async Task<Dictionary<string, DateTimeOffset>> StaleTransitionsAsync()
    {
        await using var command = db.DataSource.CreateCommand("""
            SELECT substr(persistence_id, 8), (convert_from(message, 'UTF8')::jsonb ->> 'at')
            FROM akka.event_journal
            WHERE manifest = 'sensor.status-changed.v1' AND starts_with(persistence_id, 'sensor/silent-')
              AND convert_from(message, 'UTF8')::jsonb ->> 'to' = 'Stale'
            """);
        var found = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetString(0)] = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
        }

        return found;
    }
}
