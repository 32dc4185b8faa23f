using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Cluster;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>
/// A node cut off from PostgreSQL by a silent partition (a TCP proxy that holds every byte, both
/// ends still connected) stops writing its shards before another node can take them, and nothing
/// it held back reaches the journal after the takeover when the partition heals.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class ClusterFencingTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private const int Shards = 8;

    [Fact]
    public async Task A_node_cut_off_from_the_database_stops_writing_its_shards_before_another_node_takes_them()
    {
        var admin = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        await using var proxy = TcpProxy.To(admin.Host!, admin.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var cluster = new TestCluster(db, Shards, new Dictionary<string, string> { ["Liveness:AckTimeoutSeconds"] = "4" });
        var cut = await cluster.StartAsync("cut", viaProxy);
        await cluster.BalancedAmongAsync("cut");
        var other = await cluster.StartAsync("other");
        await cluster.BalancedAmongAsync("cut", "other");

        var sensor = await cluster.SensorOwnedByAsync("cut", "fenced-");
        var shard = ShardId.Of(sensor, Shards);
        for (var sequence = 1; sequence <= 3; sequence++)
        {
            using var beat = await (await cut.TrustedClientAsync()).PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence });
            Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
        }

        proxy.BlackHole();

        // While cut off, the node keeps getting beats for its sensor (sequences 100…): it must not
        // acknowledge them, and whatever it holds back must not land after the takeover.
        using var stopHeldBack = new CancellationTokenSource();
        var heldBack = new ConcurrentBag<HttpStatusCode>();
        var requests = new List<Task>();
        var sending = Task.Run(async () =>
        {
            for (var sequence = 100; sequence < 200 && !stopHeldBack.IsCancellationRequested; sequence++)
            {
                requests.Add(SendAsync(cut, sensor, sequence, heldBack));
                await Task.Delay(100, CancellationToken.None);
            }
        });

        var takeover = await Eventually.Until(() => LeaseAsync(shard), lease => lease.Owner == "other", TestCluster.Settle, "the other node takes the shard over");
        await stopHeldBack.CancelAsync();
        await sending;

        // All answered while still cut off (within the ack timeout): none can be durable, so none
        // may be acknowledged. After this, a beat of 100…199 in the journal can only come from
        // something the cut-off node held back.
        await Task.WhenAll(requests);
        Assert.NotEmpty(heldBack);
        Assert.DoesNotContain(HttpStatusCode.Accepted, heldBack);

        // Healed before the new owner writes anything for the sensor: a held-back write that got
        // through now would take the next sequence number unnoticed by the unique key.
        proxy.Heal();

        // The cut-off node recovers by itself: it rejoins and gets its fair share back, so every
        // write it held back has had its chance to reach the database.
        await Eventually.Until(async () => (await TestCluster.StatusAsync(cut)).LastError, error => error is null, TestCluster.Settle, "the node reaches the database again");
        await cluster.BalancedAmongAsync("cut", "other");
        Assert.False(cut.HasExited, cut.Output);

        var fences = (await TestCluster.StatusAsync(cut)).LocalEvents.Where(e => e.Kind is "fenced" or "lost" && e.Shards.Contains(shard)).ToList();
        Assert.NotEmpty(fences);
        Assert.True(fences.Min(e => e.At) < takeover.AcquiredAt, $"the node stopped serving shard {shard} at {fences.Min(e => e.At):O}, not before the takeover at {takeover.AcquiredAt:O}");

        var lateWrites = await HeldBackWritesSinceAsync(sensor, takeover.AcquiredAt);
        Assert.True(lateWrites == 0, $"{lateWrites} beats from the cut-off node were written after the takeover");
        using (var afterHeal = await (await other.TrustedClientAsync()).PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence = 200 }))
        {
            Assert.Equal(HttpStatusCode.Accepted, afterHeal.StatusCode);
        }

        Assert.True(await JournalHasAsync(sensor, 200), "the beat after the partition is in the journal");
    }

    private static async Task SendAsync(ServerProcess node, string sensor, int sequence, ConcurrentBag<HttpStatusCode> answers)
    {
        try
        {
            using var response = await (await node.TrustedClientAsync()).PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { sequence });
            answers.Add(response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            answers.Add(HttpStatusCode.ServiceUnavailable);
        }
    }

    private async Task<(string? Owner, long Epoch, DateTimeOffset AcquiredAt)> LeaseAsync(int shard)
    {
        await using var command = db.DataSource.CreateCommand("SELECT owner, epoch, acquired_at FROM shard_leases WHERE shard = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = shard });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? default : reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>Beats only the cut-off node was given (sequences 100 to 199) that the journal stored at or after <paramref name="since"/>.</summary>
    private async Task<long> HeldBackWritesSinceAsync(string sensor, DateTimeOffset since)
    {
        await using var command = db.DataSource.CreateCommand("""
            SELECT count(*) FROM journal
            WHERE persistence_id = 'sensor/' || $1 AND manifest = 'sensor.heartbeat.v1' AND written_at >= $2
              AND (convert_from(payload, 'UTF8')::jsonb ->> 'sequence')::bigint BETWEEN 100 AND 199
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sensor });
        command.Parameters.Add(new NpgsqlParameter { Value = since });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<bool> JournalHasAsync(string sensor, long sequence)
    {
        await using var command = db.DataSource.CreateCommand("""
            SELECT count(*) FROM journal WHERE persistence_id = 'sensor/' || $1 AND manifest = 'sensor.heartbeat.v1'
              AND (convert_from(payload, 'UTF8')::jsonb ->> 'sequence')::bigint = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = sensor });
        command.Parameters.Add(new NpgsqlParameter { Value = sequence });
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
