using System.Text.Json;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>The server with a short outage recount, so that held transitions come due within a test.</summary>
public sealed class OutageNotificationFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Notifications:AllowedTargets:0"] = "127.0.0.1",
    ["Notifications:PollMilliseconds"] = "50",
    ["Notifications:OutageGraceSeconds"] = "60",
    ["Notifications:OutageRecountSeconds"] = "2",
});

/// <summary>
/// The monitor's own outage is not the fleet's: transitions the projection writes long after their
/// own time (decided while the monitor could not hear) are held, then alerted only for sensors
/// still silent. Driven through the projection's own outbox hook in a transaction, as the
/// projection calls it after a restart.
/// </summary>
public sealed class MonitorOutageTests(OutageNotificationFactory factory) : IClassFixture<OutageNotificationFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Transitions_decided_late_are_held_and_only_sensors_still_silent_are_alerted()
    {
        const string tag = "outage";
        await using var receiver = new WebhookReceiver();
        var admin = factory.CreateClientAs(OperatorRoles.Admin);
        var channel = await admin.CreateWebhookAsync(receiver.Url());
        await admin.CreateRuleAsync(NotificationApi.Rule(["stale"], tag, channel.Id, wait: 0));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));
        await GroupingTests.BeatAsync(sensors, "o-back", "ok");
        await GroupingTests.BeatAsync(sensors, "o-silent", "ok");
        await Eventually.Until(() => CountAsync("SELECT count(*) FROM sensors WHERE sensor_id LIKE 'o-%' AND 'outage' = ANY(tags)"), n => n == 2, TimeSpan.FromSeconds(30), "both sensors are projected");
        await ExecuteAsync("UPDATE sensors SET status = 'stale' WHERE sensor_id = 'o-silent'");

        // As after a restart: stale transitions stamped at deadlines ten minutes ago, projected now.
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        await WriteThroughOutboxAsync(
            new ProjectedTransition("o-back", LivenessStatus.Healthy, LivenessStatus.Stale, tenMinutesAgo),
            new ProjectedTransition("o-silent", LivenessStatus.Healthy, LivenessStatus.Stale, tenMinutesAgo));

        Assert.Equal(2, await CountAsync("SELECT count(*) FROM notification_outbox WHERE sensor_id LIKE 'o-%' AND held_until IS NOT NULL"));
        Assert.Empty(receiver.Requests);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, TimeSpan.FromSeconds(30), "the sensor still silent is alerted");
        var payload = JsonSerializer.Deserialize<NotificationPayload>(Assert.Single(receiver.Accepted).Body, Web)!;
        Assert.Equal("o-silent", Assert.Single(payload.Sensors).Id);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM notification_outbox WHERE sensor_id = 'o-back' AND dropped = 'recovered-after-outage'"));
    }

    [Fact]
    public async Task A_transition_projected_on_time_is_not_held()
    {
        const string tag = "on-time";
        var admin = factory.CreateClientAs(OperatorRoles.Admin);
        var channel = await admin.CreateWebhookAsync("http://127.0.0.1:9/unused");
        await admin.CreateRuleAsync(NotificationApi.Rule(["stale"], tag, channel.Id, wait: 3600));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));
        await GroupingTests.BeatAsync(sensors, "t-1", "ok");
        await Eventually.Until(() => CountAsync("SELECT count(*) FROM sensors WHERE sensor_id = 't-1'"), n => n == 1, TimeSpan.FromSeconds(30), "the sensor is projected");

        await WriteThroughOutboxAsync(new ProjectedTransition("t-1", LivenessStatus.Healthy, LivenessStatus.Stale, DateTimeOffset.UtcNow.AddSeconds(-1)));

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM notification_outbox WHERE sensor_id = 't-1' AND held_until IS NOT NULL"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM notification_outbox WHERE sensor_id = 't-1'"));
    }

    private async Task WriteThroughOutboxAsync(params ProjectedTransition[] transitions)
    {
        var outbox = factory.Services.GetServices<ITransitionOutbox>().OfType<NotificationOutbox>().Single();
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await outbox.WriteAsync(connection, transaction, transitions, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = factory.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = factory.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
