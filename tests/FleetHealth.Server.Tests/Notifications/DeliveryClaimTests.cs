using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>The server with its grouper and delivery worker off: the tests claim deliveries themselves, as several nodes would.</summary>
public sealed class QuietNotificationFactory() : FleetHealthFactory(new Dictionary<string, string> { ["Notifications:Enabled"] = "false" });

public sealed class DeliveryClaimTests(QuietNotificationFactory factory) : IClassFixture<QuietNotificationFactory>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Nodes_claiming_at_once_never_claim_the_same_delivery()
    {
        var store = factory.Services.GetRequiredService<DeliveryStore>();
        var ids = await PendingDeliveriesAsync(200);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await store.ClaimAsync(Now, TimeSpan.FromMinutes(1), $"node-{n}", 7, CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(d => d.Id));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(ids.Order(), all.Where(ids.Contains).Order());
    }

    [Fact]
    public async Task A_claim_whose_lease_passed_is_claimed_again_by_another_node_and_the_first_cannot_record_it()
    {
        var store = factory.Services.GetRequiredService<DeliveryStore>();
        var id = Assert.Single(await PendingDeliveriesAsync(1, at: Now.AddYears(1)));
        var later = Now.AddYears(1);

        var first = await store.ClaimAsync(later, TimeSpan.FromSeconds(30), "dies", 1000, CancellationToken.None);
        var during = await store.ClaimAsync(later.AddSeconds(10), TimeSpan.FromSeconds(30), "other", 1000, CancellationToken.None);
        var after = await store.ClaimAsync(later.AddSeconds(31), TimeSpan.FromSeconds(30), "other", 1000, CancellationToken.None);
        await store.RecordAsync(id, "dies", 1, SendOutcome.Ok(200, "late"), "delivered", later.AddSeconds(40), null, CancellationToken.None);

        Assert.Contains(first, d => d.Id == id);
        Assert.DoesNotContain(during, d => d.Id == id);
        Assert.Contains(after, d => d.Id == id);
        await using var command = factory.DataSource.CreateCommand("SELECT status, claimed_by FROM notification_deliveries WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("pending", "other"), (reader.GetString(0), reader.GetString(1)));
    }

    /// <summary>A channel, one notification per delivery, all due at <paramref name="at"/>; returns the deliveries' ids.</summary>
    private async Task<List<long>> PendingDeliveriesAsync(int count, DateTimeOffset? at = null)
    {
        await using var command = factory.DataSource.CreateCommand("""
            WITH channel AS (
                INSERT INTO notification_channels (name, kind, config, created_at, created_by, updated_at)
                VALUES ('claims', 'webhook', '{"url": "http://127.0.0.1:9/"}', now(), 'tests', now()) RETURNING id),
            made AS (
                INSERT INTO notifications (id, kind, payload, created_at)
                SELECT gen_random_uuid(), 'alert', '{"summary": "x"}', now() FROM generate_series(1, $1) RETURNING id)
            INSERT INTO notification_deliveries (notification_id, channel_id, idempotency_key, next_attempt_at, created_at)
            SELECT made.id, channel.id, made.id::text, $2, now() FROM made, channel RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at ?? Now.AddMinutes(-1) });
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
