using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using FleetHealth.Testing;
using Xunit.Abstractions;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>
/// A node of three on Akka.NET killed with SIGKILL under load: its sensors answer 202 on the
/// survivors within ten seconds, nothing acknowledged is lost or written twice, and what reached the
/// dead node's shards meanwhile is answered 503 with Retry-After when its timeout passes.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class AkkaClusterFailoverTests(IsolatedDatabase db, ITestOutputHelper output) : IClassFixture<IsolatedDatabase>
{
    private const int LoadSensors = 30;
    // Beats stuck on the dead node's shards wait the ack timeout (10 s = 20 periods): the cap must
    // be above that, or a sensor could send nothing new and its return would be timed late.
    private const int MaxInFlightPerSensor = 32;
    private const string Prefix = "load-";

    // The server's default: a request waits this long for its sensor before it is answered 503.
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);

    // Each sensor beats this often whether or not its earlier beats were answered, so a beat stuck
    // on the dead node's shard does not hold back the next one (the failover is timed to this).
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Node 0 is the first seed and the oldest member: it also hosts the sharding coordinator (a
    /// cluster singleton), which must move as well. Node 2 hosts shards only.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_killed_nodes_sensors_answer_again_within_ten_seconds_and_no_acknowledged_beat_is_lost_or_doubled(int victimIndex)
    {
        await using var cluster = new AkkaTestCluster(db, nodes: 3, new Dictionary<string, string>
        {
            ["Liveness:AckTimeoutSeconds"] = AckTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        });
        var results = new ConcurrentQueue<Result>();
        try
        {
            await Task.WhenAll(cluster.StartAsync(0), cluster.StartAsync(1), cluster.StartAsync(2));
            var nodes = new[] { cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2] };
            var session = await nodes[0].SessionAsAsync("operator");
            var (key, _) = await nodes[0].CreateIngestKeyAsync();
            var clients = nodes.Select(n => n.CreateClient(session, key)).ToArray();
            var sensors = Enumerable.Range(0, LoadSensors).Select(i => $"{Prefix}{victimIndex}-{i}").ToList();

            using var stop = new CancellationTokenSource();
            var load = sensors.Select((sensor, i) => Task.Run(() => BeatAsync(sensor, i, nodes, clients, results, stop.Token))).ToList();
            await Eventually.Until(
                async () => (Acked: results.Where(r => r.Status == 202).Select(r => r.Sensor).Distinct().Count(), Owners: (await cluster.LeaseOwnersAsync()).Count),
                s => s.Acked == LoadSensors && s.Owners == 3,
                AkkaTestCluster.Settle,
                "every sensor is acknowledged and all three nodes hold shards");

            var victim = cluster.Owner(victimIndex);
            var victimSensors = new List<string>();
            foreach (var sensor in sensors)
            {
                if (await cluster.OwnerOfAsync(sensor) == victim)
                {
                    victimSensors.Add(sensor);
                }
            }

            Assert.NotEmpty(victimSensors);
            // Timed from the kill's return: the process is gone (Kill first walks the process tree).
            cluster.Nodes[victimIndex].Kill();
            var killedAt = Stopwatch.GetTimestamp();
            var killedAtWall = DateTimeOffset.UtcNow;
            output.WriteLine($"killed node {victimIndex} at {killedAtWall:HH:mm:ss.fff}Z");

            // Back = a beat sent after the kill was acknowledged: the sensor lives on a survivor.
            var back = await Eventually.Until(
                () => Task.FromResult(FirstAcksAfter(results, killedAt, victimSensors)),
                firsts => firsts.Count == victimSensors.Count,
                TimeSpan.FromSeconds(60),
                "every sensor of the killed node is acknowledged again");
            var failover = Stopwatch.GetElapsedTime(killedAt, back.Values.Max());
            var firstBack = Stopwatch.GetElapsedTime(killedAt, back.Values.Min());

            // Some more beats of every sensor, then stop and let every request finish.
            var sinceBack = Stopwatch.GetTimestamp();
            await Eventually.Until(
                () => Task.FromResult(FirstAcksAfter(results, sinceBack, sensors).Count),
                n => n == LoadSensors,
                AkkaTestCluster.Settle,
                "every sensor is acknowledged after the failover");
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var all = results.ToList();
            var unavailable = all.Where(r => r.Status == 503).ToList();
            var slowest = all.Where(r => r.Status is not null).Max(r => r.Elapsed);
            // Where the time went, from the survivors' logs (their wall clock, as the kill's).
            var survivors = cluster.Nodes.Where(n => n.Key != victimIndex).Select(n => n.Value.Output).ToList();
            var victimAddress = cluster.Address(victimIndex);
            string Step(string marker) => FirstLogAfter(survivors, killedAtWall, marker, victimAddress) is { } at
                ? (at - killedAtWall).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)
                : "not logged";
            var figures = string.Join(
                Environment.NewLine,
                $"akka_failover_victim: node{victimIndex}{(victimIndex == 0 ? " (oldest: coordinator)" : "")}",
                $"akka_failover_seconds: {failover.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}",
                $"akka_failover_unreachable_seconds: {Step("Marking node(s) as UNREACHABLE")}",
                $"akka_failover_downed_seconds: {Step("SBR took decision")}",
                $"akka_failover_removed_seconds: {Step("Leader is removing unreachable node")}",
                $"akka_failover_first_sensor_back_seconds: {firstBack.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}",
                $"akka_failover_victim_sensors: {victimSensors.Count}",
                $"akka_failover_requests: {all.Count}",
                $"akka_failover_503: {unavailable.Count}",
                $"akka_failover_slowest_answer_seconds: {slowest.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}");
            output.WriteLine(figures);
            TestFigures.Write($"akka-cluster-failover-node{victimIndex}", figures);

            Assert.True(failover < TimeSpan.FromSeconds(10), $"failover took {failover.TotalSeconds:0.0} s");

            // Only 202, or 503 with Retry-After, and never later than the ack timeout (plus the
            // scheduling slack of a loaded machine): no hang, no other answer.
            var wrong = all.Where(r => r.Status is not null and not 202 and not 503).ToList();
            Assert.True(wrong.Count == 0, $"answers other than 202/503: {string.Join(", ", wrong.Take(5))}");
            Assert.All(unavailable, r => Assert.True(r.RetryAfter, $"503 without Retry-After: {r}"));
            Assert.True(slowest < AckTimeout + TimeSpan.FromSeconds(5), $"an answer took {slowest.TotalSeconds:0.0} s");
            // Beats that reached the dead node's shards before it was removed: answered 503, not lost in silence.
            Assert.Contains(unavailable, r => victimSensors.Contains(r.Sensor) && r.SentAt >= killedAt);
            // Transport errors only where the dead node was asked.
            Assert.All(all.Where(r => r.Status is null), r => Assert.Equal(victimIndex, r.Node));

            var journal = await cluster.JournalBeatsAsync($"{Prefix}{victimIndex}-");
            var acked = all.Where(r => r.Status == 202).Select(r => (r.Sensor, r.Sequence)).ToList();
            var missing = acked.Where(a => !journal.ContainsKey(a)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged beats are not in akka.event_journal, e.g. {string.Join(", ", missing.Take(5))}");
            var twice = journal.Where(j => j.Value > 1).Select(j => j.Key).ToList();
            Assert.True(twice.Count == 0, $"beats written twice: {string.Join(", ", twice.Take(5))}");
        }
        catch
        {
            foreach (var (index, node) in cluster.Nodes)
            {
                output.WriteLine($"--- node {index} (last lines) ---\n{string.Join('\n', node.Output.Split('\n').TakeLast(150))}");
            }

            throw;
        }
    }

    /// <summary>When a survivor first logged a line with <paramref name="marker"/> about <paramref name="address"/> after <paramref name="after"/>.</summary>
    private static DateTimeOffset? FirstLogAfter(IEnumerable<string> outputs, DateTimeOffset after, string marker, string address) =>
        outputs.SelectMany(o => o.Split('\n'))
            .Where(line => line.Contains(marker, StringComparison.Ordinal) && line.Contains(address, StringComparison.Ordinal))
            .Select(line => DateTimeOffset.TryParse(line.Split(' ', 2)[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
            .Where(at => at >= after)
            .Min();

    /// <summary>Per sensor, when the first beat sent after <paramref name="since"/> was acknowledged.</summary>
    private static Dictionary<string, long> FirstAcksAfter(IEnumerable<Result> results, long since, IReadOnlyCollection<string> sensors) =>
        results.Where(r => r.Status == 202 && r.SentAt >= since && sensors.Contains(r.Sensor))
            .GroupBy(r => r.Sensor)
            .ToDictionary(g => g.Key, g => g.Min(r => r.AnsweredAt));

    /// <summary>
    /// One sensor's beats, every <see cref="Period"/> with increasing sequence numbers, each to the
    /// next live node in turn, up to <see cref="MaxInFlightPerSensor"/> unanswered at once.
    /// </summary>
    private static async Task BeatAsync(string sensor, int index, ServerProcess[] nodes, HttpClient[] clients, ConcurrentQueue<Result> results, CancellationToken stop)
    {
        using var inFlight = new SemaphoreSlim(MaxInFlightPerSensor);
        var pending = new List<Task>();
        var sequence = 0L;
        var turn = index;
        try
        {
            // Spread the sensors over the period rather than beating all at once.
            await Task.Delay(Period * index / LoadSensors, stop);
            using var timer = new PeriodicTimer(Period);
            do
            {
                if (!inFlight.Wait(0))
                {
                    continue;
                }

                var node = NextLive(nodes, ref turn);
                pending.Add(SendAsync(sensor, ++sequence, node, clients[node], results, inFlight));
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        await Task.WhenAll(pending);
    }

    private static int NextLive(ServerProcess[] nodes, ref int turn)
    {
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = turn++ % nodes.Length;
            if (!nodes[node].HasExited)
            {
                return node;
            }
        }

        throw new InvalidOperationException("No live node.");
    }

    private static async Task SendAsync(string sensor, long sequence, int node, HttpClient client, ConcurrentQueue<Result> results, SemaphoreSlim inFlight)
    {
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence }, CancellationToken.None);
            results.Enqueue(new Result(sensor, sequence, node, sentAt, Stopwatch.GetTimestamp(), (int)response.StatusCode, response.Headers.RetryAfter is not null));
        }
        catch (HttpRequestException)
        {
            // The node died under the request (or before it): not acknowledged, nothing to check.
            results.Enqueue(new Result(sensor, sequence, node, sentAt, Stopwatch.GetTimestamp(), null, false));
        }
        catch (TaskCanceledException)
        {
            // The client gave up (30 s): a hang, which the test counts as a wrong answer.
            results.Enqueue(new Result(sensor, sequence, node, sentAt, Stopwatch.GetTimestamp(), 0, false));
        }
        finally
        {
            inFlight.Release();
        }
    }

    private sealed record Result(string Sensor, long Sequence, int Node, long SentAt, long AnsweredAt, int? Status, bool RetryAfter)
    {
        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(SentAt, AnsweredAt);
    }
}
