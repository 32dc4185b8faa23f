using System.Globalization;
using FleetHealth.Server.Tests.Notifications;
using FleetHealth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>
/// One delivery per notification across the cluster, whichever node is up: a node killed with
/// SIGKILL while it holds claimed deliveries (its receiver hangs) leaves them pending, and the
/// survivor delivers them once the claims lapse. Receivers see the same idempotency key on a
/// repeat, so what they accept is once per notification.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class NotificationFailoverTests(IsolatedDatabase db, ITestOutputHelper output) : IClassFixture<IsolatedDatabase>
{
    private const int Messages = 6;

    [Fact]
    public async Task Deliveries_claimed_by_a_killed_node_are_delivered_by_the_survivor_once_per_notification()
    {
        await using var receiver = new WebhookReceiver { Mode = ReceiverMode.Slow, SlowFor = TimeSpan.FromSeconds(60) };
        // Three nodes: of two, the split-brain resolver (keep-majority) would down the survivor too.
        await using var cluster = new AkkaTestCluster(db, nodes: 3, new Dictionary<string, string>
        {
            ["Notifications:AllowedTargets:0"] = "127.0.0.1",
            ["Notifications:PollMilliseconds"] = "100",
            ["Notifications:TriesPerRound"] = "1",
            ["Notifications:RetryDelayMilliseconds"] = "20",
            ["Notifications:BackoffBaseSeconds"] = "0.1",
            ["Notifications:BackoffCapSeconds"] = "0.5",
            // A round that hangs on the receiver holds its claim this long: the window to kill in.
            ["Notifications:TimeoutSeconds"] = "10",
            ["Notifications:MaxAttempts"] = "200",
        });
        await Task.WhenAll(cluster.StartAsync(0), cluster.StartAsync(1), cluster.StartAsync(2));
        var (victim, survivor) = (cluster.Nodes[0], cluster.Nodes[1]);
        var admin = await survivor.AdminClientAsync();
        var channel = await admin.CreateWebhookAsync(receiver.Url());
        for (var i = 0; i < Messages; i++)
        {
            var tag = $"failover-{i.ToString(CultureInfo.InvariantCulture)}";
            await admin.CreateRuleAsync(NotificationApi.Rule(["fault"], tag, channel.Id, wait: 0, name: tag));
            var sensors = await survivor.IngestClientAsync(tag);
            await GroupingTests.BeatAsync(sensors, $"{tag}-s", "fault");
        }

        // Both nodes claim; the receiver hangs, so every claim is held for a whole round.
        var claimedByVictim = await Eventually.Until(
            () => ClaimedByAsync(victim.ProcessId),
            claimed => claimed.Count > 0,
            TimeSpan.FromSeconds(60),
            "the node to be killed holds claimed deliveries");
        victim.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed node 0 (pid {victim.ProcessId}) holding deliveries {string.Join(", ", claimedByVictim)}");
        receiver.Mode = ReceiverMode.Ok;

        var delivered = await Eventually.Until(
            () => admin.DeliveriesAsync(channel.Id),
            d => d.Count == Messages && d.All(x => x.Status == "delivered"),
            TimeSpan.FromSeconds(120),
            "every delivery gets through from the survivor");

        var keys = delivered.Select(d => d.IdempotencyKey).Order().ToList();
        var accepted = receiver.Accepted.GroupBy(r => r.Headers["Idempotency-Key"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(keys, accepted.Keys.Order());
        Assert.All(accepted.Values, count => Assert.Equal(1, count));
        // Whatever reached the receiver, from either node, was one of these notifications.
        Assert.All(receiver.Requests, r => Assert.Contains(r.Headers["Idempotency-Key"], keys));
        // The killed node's claims were taken over: delivered after the kill, so by the node still up.
        foreach (var id in claimedByVictim)
        {
            var deliveredAt = await DeliveredAtAsync(id);
            Assert.True(deliveredAt > killedAt, $"delivery {id} was delivered at {deliveredAt:O}, before the kill at {killedAt:O}");
        }
    }

    /// <summary>Deliveries whose unexpired claim the node with process id <paramref name="pid"/> holds.</summary>
    private async Task<IReadOnlyList<long>> ClaimedByAsync(int pid)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT id FROM notification_deliveries WHERE status = 'pending' AND claimed_until > clock_timestamp() AND claimed_by LIKE '%:' || $1 || ':%'");
        command.Parameters.Add(new NpgsqlParameter { Value = pid.ToString(CultureInfo.InvariantCulture) });
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private async Task<DateTimeOffset> DeliveredAtAsync(long id)
    {
        await using var command = db.DataSource.CreateCommand("SELECT delivered_at FROM notification_deliveries WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetFieldValue<DateTimeOffset>(0);
    }
}
