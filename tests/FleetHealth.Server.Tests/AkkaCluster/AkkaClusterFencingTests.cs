using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>
/// A node cut off from PostgreSQL by a silent partition (a TCP proxy that holds every byte, both ends
/// still connected) acknowledges nothing while cut off; frozen there (SIGSTOP, its connections and
/// the writes it held back still open), it is downed and its shard moves to a survivor; and nothing
/// it held back reaches the journal after the takeover when the partition heals and it runs again.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class AkkaClusterFencingTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private const int Cut = 2;

    [Fact]
    public async Task A_node_cut_off_from_the_database_and_frozen_writes_nothing_it_held_back_after_a_survivor_took_its_shard()
    {
        var direct = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        await using var proxy = TcpProxy.To(direct.Host!, direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var cluster = new AkkaTestCluster(db, nodes: 3, new Dictionary<string, string> { ["Liveness:AckTimeoutSeconds"] = "4" });
        var survivor = await cluster.StartAsync(0);
        await cluster.StartAsync(1);
        var cut = await cluster.StartAsync(Cut, viaProxy);
        var onSurvivor = await survivor.TrustedClientAsync();
        await Eventually.Until(async () => (await AkkaTestCluster.StatusAsync(onSurvivor)).Members.Count(m => m.State == "up"), up => up == 3, AkkaTestCluster.Settle, "three nodes are up");

        // A sensor whose shard the node behind the proxy holds (shards are placed on first use).
        var onCut = await cut.TrustedClientAsync();
        string? sensor = null;
        for (var i = 0; i < 128 && sensor is null; i++)
        {
            using var first = await onCut.PostAsJsonAsync($"/api/v1/heartbeats/fenced-{i}", new { sequence = 1 });
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            sensor = await cluster.OwnerOfAsync($"fenced-{i}") == cluster.Owner(Cut) ? $"fenced-{i}" : null;
        }

        Assert.NotNull(sensor);
        for (var sequence = 2; sequence <= 3; sequence++)
        {
            using var beat = await onCut.PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence });
            Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
        }

        var lease = AkkaTestCluster.LeaseName(sensor);
        var before = await LeaseAsync(lease);
        proxy.BlackHole();

        // Cut off, the node keeps getting beats for its sensor (sequences 100…119): it must not
        // acknowledge them, since none can be durable. Each is answered within the ack timeout.
        var heldBack = new ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(Enumerable.Range(100, 20).Select(sequence => SendAsync(onCut, sensor, sequence, heldBack)));
        Assert.Equal(20, heldBack.Count);
        Assert.DoesNotContain(HttpStatusCode.Accepted, heldBack);

        // Frozen with the writes it held back still in its open connections; the others down it and
        // one of them takes the shard once the lease has expired by PostgreSQL's clock.
        await cut.PauseAsync();
        var takeover = await Eventually.Until(() => LeaseAsync(lease), l => l.Owner is not null && l.Owner != cluster.Owner(Cut), AkkaTestCluster.Settle, "a survivor takes the shard");
        Assert.True(takeover.Epoch > before.Epoch, $"epoch {takeover.Epoch} after {before.Epoch}");
        using (var afterTakeover = await onSurvivor.PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence = 200 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, afterTakeover.StatusCode);
        }

        // Healed and running again: whatever it held back reaches PostgreSQL now, under a lease it no
        // longer holds. Wait until none of its journal sessions is left (refused, ended, or it left).
        proxy.Heal();
        await cut.ResumeAsync();
        await Eventually.Until(() => JournalSessionsAsync(before.Writer!), n => n == 0, AkkaTestCluster.Settle, "the cut-off node's journal sessions are gone");

        var beats = await cluster.JournalBeatsAsync(sensor);
        Assert.Equal([1L, 2L, 3L, 200L], beats.Keys.Select(k => k.Sequence).Order());
        Assert.All(beats.Values, count => Assert.Equal(1, count));
    }

    private static async Task SendAsync(HttpClient node, string sensor, int sequence, ConcurrentBag<HttpStatusCode> answers)
    {
        try
        {
            using var response = await node.PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence });
            answers.Add(response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            answers.Add(HttpStatusCode.ServiceUnavailable);
        }
    }

    private async Task<(string? Owner, long Epoch, string? Writer)> LeaseAsync(string name)
    {
        await using var command = db.DataSource.CreateCommand("SELECT owner, epoch, writer FROM akka.leases WHERE name = $1 AND (owner IS NULL OR expires_at > clock_timestamp())");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : (null, -1, null);
    }

    /// <summary>Sessions of the journal writer <paramref name="writer"/> (its connections name themselves after it).</summary>
    private async Task<long> JournalSessionsAsync(string writer)
    {
        await using var command = db.DataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fleethealth-journal:' || $1");
        command.Parameters.Add(new NpgsqlParameter { Value = writer });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
