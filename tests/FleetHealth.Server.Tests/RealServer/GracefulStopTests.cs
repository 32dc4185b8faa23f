using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Ingestion;
using FleetHealth.Testing;
using Xunit.Abstractions;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>
/// A graceful stop (SIGTERM, as docker stop and Ctrl-C send) of a node that hosts every shard: each
/// shard releases its lease as it stops, and Akka.Cluster.Sharding does that synchronously, so a node
/// stopping hundreds of shards at once must not starve itself of threads on the way out.
/// </summary>
public sealed class GracefulStopTests(IsolatedDatabase db, ITestOutputHelper output) : IClassFixture<IsolatedDatabase>
{
    // Ample for a stop that works (a few seconds here); a node starved by its shards' releases took
    // 44 s on this machine kind.
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_node_hosting_every_shard_exits_promptly_on_sigterm_and_frees_every_shard_lease()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString);
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "ready");
        var client = await server.IngestClientAsync();
        // 4,000 sensors start every one of the 256 shards but for a chance of about 1 in 20,000.
        foreach (var chunk in Enumerable.Range(0, 4_000).Chunk(500))
        {
            using var response = await client.PostAsJsonAsync("/api/v1/heartbeats", chunk.Select(i => new BatchItem($"stop-{i}", 1)).ToList());
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var held = await HeldShardLeasesAsync();
        Assert.True(held >= 250, $"only {held} shard leases are held");

        var stopping = Stopwatch.GetTimestamp();
        await server.TerminateAsync();
        var exited = await server.ExitedWithinAsync(StopBudget);
        var seconds = Stopwatch.GetElapsedTime(stopping).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var figures = $"graceful_stop_shards: {held}{Environment.NewLine}graceful_stop_seconds: {(exited ? seconds : "over " + seconds)}";
        output.WriteLine(figures);
        TestFigures.Write("graceful-stop", figures);

        Assert.True(exited, $"the node was still stopping {seconds} s after SIGTERM with {held} shards:\n{Tail(server.Output)}");
        Assert.Equal(0, await HeldShardLeasesAsync());
    }

    private async Task<long> HeldShardLeasesAsync()
    {
        await using var command = db.DataSource.CreateCommand("SELECT count(*) FROM akka.leases WHERE owner IS NOT NULL AND name LIKE 'fleethealth-shard-sensor-%'");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(15));
}
