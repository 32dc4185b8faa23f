using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FleetHealth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>A node killed with SIGKILL under load: nothing acknowledged is lost, nothing is written twice, its shards and timers live on.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterFailoverTests(IsolatedDatabase db, ITestOutputHelper output) : IClassFixture<IsolatedDatabase>
{
    private const int Workers = 6;
    private const int SensorsPerWorker = 10;

    // A silent sensor goes stale this long after its last beat (short, so that it happens after the kill).
    private const int StaleAfterSeconds = 8;

    [Fact]
    public async Task A_node_killed_under_load_loses_no_acknowledged_beat_and_its_shards_and_deadlines_move_within_ten_seconds()
    {
        await using var cluster = new TestCluster(db, settings: new Dictionary<string, string>
        {
            // Late after 3 s of silence, stale after 8 s: the silent sensors' deadlines fall after the kill.
            ["Liveness:DefaultIntervalSeconds"] = "2",
            ["Liveness:DefaultGraceSeconds"] = "1",
            ["Liveness:StaleAfterSeconds"] = StaleAfterSeconds.ToString(CultureInfo.InvariantCulture),
            ["Liveness:AckTimeoutSeconds"] = "10",
        });
        await Task.WhenAll(cluster.StartAsync("n1"), cluster.StartAsync("n2"), cluster.StartAsync("victim"));
        await cluster.BalancedAmongAsync("n1", "n2", "victim");
        var nodes = new[] { cluster.Nodes["n1"], cluster.Nodes["n2"], cluster.Nodes["victim"] };
        var victim = cluster.Nodes["victim"];

        var acked = new ConcurrentBag<(string Sensor, long Sequence)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => BeatAsync(w, nodes, acked, stop.Token))).ToList();
        await Eventually.Until(() => Task.FromResult(acked.Count), n => n >= 200, TestCluster.Settle, "the load runs through all nodes");

        // Sensors that go silent just before the kill, on the victim's shards: only a survivor's timer can turn them stale.
        var silent = new List<(string Id, DateTimeOffset LastSeen)>();
        for (var i = 0; i < 3; i++)
        {
            var id = await cluster.SensorOwnedByAsync("victim", $"silent-{i}-");
            using var beat = await (await nodes[i % 2].TrustedClientAsync()).PostAsJsonAsync($"/api/v1/heartbeats/{id}", new { sequence = 1 });
            Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
            silent.Add((id, (await beat.Content.ReadFromJsonAsync<AcceptedBody>())!.ReceivedAt));
        }

        var killed = Stopwatch.StartNew();
        victim.Kill();
        await Eventually.Until(
            async () => await cluster.OwnersAsync(),
            owners => owners.Keys.All(o => o != "victim") && owners.Values.Sum() == cluster.Shards,
            TimeSpan.FromSeconds(30),
            "every shard has a live owner again");
        var failover = killed.Elapsed;
        output.WriteLine($"failover_seconds: {failover.TotalSeconds:0.0}");
        TestFigures.Write("cluster-failover", $"failover_seconds: {failover.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}");

        var before = acked.Count;
        await Eventually.Until(() => Task.FromResult(acked.Count), n => n >= before + 100, TestCluster.Settle, "the survivors keep acknowledging");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(failover < TimeSpan.FromSeconds(10), $"failover took {failover.TotalSeconds:0.0} s");

        var journal = await JournalBeatsAsync();
        var missing = acked.Where(a => !journal.ContainsKey(a)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged beats are not in the journal, e.g. {string.Join(", ", missing.Take(5))}");
        var twice = journal.Where(j => j.Value > 1).Select(j => j.Key).ToList();
        Assert.True(twice.Count == 0, $"beats written twice: {string.Join(", ", twice.Take(5))}");

        await Eventually.Until(
            async () => acked.Except(await ReadModelBeatsAsync()).Count(),
            count => count == 0,
            TestCluster.Settle,
            "every acknowledged beat reaches the read model");

        foreach (var (id, lastSeen) in silent)
        {
            var staleAt = await Eventually.Until(() => StaleSinceAsync(id), at => at is not null, TestCluster.Settle, $"{id} turns stale on a survivor");
            Assert.Equal(lastSeen.AddSeconds(StaleAfterSeconds), staleAt!.Value, TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>One worker: its own sensors, each with increasing sequence numbers, spread over the nodes; what was acknowledged is recorded.</summary>
    private static async Task BeatAsync(int worker, ServerProcess[] nodes, ConcurrentBag<(string, long)> acked, CancellationToken stop)
    {
        var sequence = 0L;
        var turn = worker;
        while (!stop.IsCancellationRequested)
        {
            sequence++;
            for (var s = 0; s < SensorsPerWorker && !stop.IsCancellationRequested; s++)
            {
                var sensor = $"load-{worker}-{s}";
                var node = nodes[turn++ % nodes.Length];
                if (node.HasExited)
                {
                    continue;
                }

                try
                {
                    using var response = await (await node.TrustedClientAsync()).PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence }, CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        acked.Add((sensor, sequence));
                    }
                }
                catch (HttpRequestException)
                {
                    // The node died under the request: not acknowledged, nothing to check.
                }
            }
        }
    }

    private async Task<Dictionary<(string, long), int>> JournalBeatsAsync()
    {
        await using var command = db.DataSource.CreateCommand("""
            SELECT substr(persistence_id, 8), (convert_from(payload, 'UTF8')::jsonb ->> 'sequence')::bigint, count(*)
            FROM journal WHERE manifest = 'sensor.heartbeat.v1' AND starts_with(persistence_id, 'sensor/load-')
            GROUP BY 1, 2
            """);
        var beats = new Dictionary<(string, long), int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            beats[(reader.GetString(0), reader.GetInt64(1))] = (int)reader.GetInt64(2);
        }

        return beats;
    }

    private async Task<HashSet<(string, long)>> ReadModelBeatsAsync()
    {
        await using var command = db.DataSource.CreateCommand("SELECT sensor_id, sequence FROM heartbeats WHERE sensor_id LIKE 'load-%'");
        var beats = new HashSet<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            beats.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return beats;
    }

    private async Task<DateTimeOffset?> StaleSinceAsync(string sensorId)
    {
        await using var command = db.DataSource.CreateCommand("SELECT at FROM state_changes WHERE sensor_id = $1 AND to_status = 'stale'");
        command.Parameters.Add(new NpgsqlParameter { Value = sensorId });
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    private sealed record AcceptedBody(string SensorId, DateTimeOffset ReceivedAt, bool Duplicate);
}
