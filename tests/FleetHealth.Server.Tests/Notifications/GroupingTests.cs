using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tags;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>Real sensors, the real projection and outbox, a real HTTP receiver: what arrives, and how often.</summary>
public sealed class GroupingTests(NotificationFactory factory) : IClassFixture<NotificationFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _admin = factory.CreateClientAs(OperatorRoles.Admin);

    [Fact]
    public async Task A_thousand_sensors_of_one_tag_going_stale_make_one_signed_message()
    {
        const string tag = "site-k";
        await using var receiver = new WebhookReceiver();
        var channel = await _admin.CreateWebhookAsync(receiver.Url(), secret: "thousand-secret");
        await _admin.CreateRuleAsync(NotificationApi.Rule(["stale"], tag, channel.Id, wait: 5));
        await FastTagAsync(tag);
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));

        using var beat = await sensors.PostAsJsonAsync("/api/v1/heartbeats", Enumerable.Range(0, 1000).Select(i => new BatchItem($"k-{i:D4}")).ToList());

        Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, TimeSpan.FromSeconds(60), "the group's message arrives");
        var message = Assert.Single(receiver.Accepted);
        var payload = JsonSerializer.Deserialize<NotificationPayload>(message.Body, Web)!;
        Assert.Equal(("alert", "firing", false), (payload.Type, payload.Status, payload.Repeat));
        Assert.Equal(new Dictionary<string, int> { ["stale"] = 1000 }, payload.Counts);
        Assert.Equal((20, 980), (payload.Sensors.Count, payload.MoreSensors));
        Assert.Equal("k-0000", payload.Sensors[0].Id);
        Assert.Equal("http://fleet.example/?tag=site-k", payload.DashboardUrl);
        Assert.True(Signature.IsValid(message, "thousand-secret"), "the signature verifies with the channel's secret");
        Assert.Equal(payload.NotificationId + "-" + channel.Id, message.Headers["Idempotency-Key"]);
        var delivery = Assert.Single(await _admin.DeliveriesAsync(channel.Id));
        Assert.Equal(("delivered", 1), (delivery.Status, delivery.Attempts));
    }

    [Fact]
    public async Task A_sensor_that_recovers_inside_the_group_wait_cancels_its_own_alert()
    {
        const string tag = "site-r";
        await using var receiver = new WebhookReceiver();
        var channel = await _admin.CreateWebhookAsync(receiver.Url());
        await _admin.CreateRuleAsync(NotificationApi.Rule(["fault", "recovered"], tag, channel.Id, wait: 3));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));

        await BeatAsync(sensors, "r-flicker", "fault");
        await BeatAsync(sensors, "r-broken", "fault");
        await BeatAsync(sensors, "r-flicker", "ok");

        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, TimeSpan.FromSeconds(30), "the group's message arrives");
        var payload = JsonSerializer.Deserialize<NotificationPayload>(Assert.Single(receiver.Accepted).Body, Web)!;
        Assert.Equal(new Dictionary<string, int> { ["fault"] = 1 }, payload.Counts);
        Assert.Equal("r-broken", Assert.Single(payload.Sensors).Id);
        Assert.Equal("http://fleet.example/sensors/r-broken", payload.DashboardUrl);
    }

    [Fact]
    public async Task A_group_whose_sensors_all_recover_inside_the_wait_sends_nothing_and_closes()
    {
        const string tag = "site-q";
        await using var receiver = new WebhookReceiver();
        var channel = await _admin.CreateWebhookAsync(receiver.Url());
        var rule = await _admin.CreateRuleAsync(NotificationApi.Rule(["fault"], tag, channel.Id, wait: 1));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));

        await BeatAsync(sensors, "q-1", "fault");
        await BeatAsync(sensors, "q-1", "ok");

        var closed = await Eventually.Until(
            () => ScalarAsync("SELECT count(*) FROM alert_groups WHERE rule_id = $1 AND closed_at IS NOT NULL", rule.Id),
            n => n >= 1, TimeSpan.FromSeconds(30), "the group closes");
        Assert.Equal(1, closed);
        Assert.Empty(receiver.Requests);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM notifications WHERE rule_id = $1", rule.Id));
    }

    [Fact]
    public async Task A_still_broken_group_is_sent_again_at_its_repeat_interval_and_its_recovery_is_told()
    {
        const string tag = "site-p";
        await using var receiver = new WebhookReceiver();
        var channel = await _admin.CreateWebhookAsync(receiver.Url());
        await _admin.CreateRuleAsync(NotificationApi.Rule(["fault", "recovered"], tag, channel.Id, wait: 0, interval: 1, repeat: 2));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));

        await BeatAsync(sensors, "p-1", "fault");
        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 2, TimeSpan.FromSeconds(30), "the first message and a repeat arrive");
        await BeatAsync(sensors, "p-1", "ok");
        var messages = await Eventually.Until(
            () => Task.FromResult(receiver.Accepted.Select(r => JsonSerializer.Deserialize<NotificationPayload>(r.Body, Web)!).ToList()),
            m => m.Any(p => p.Status == "resolved"), TimeSpan.FromSeconds(30), "the recovery is told");

        Assert.False(messages[0].Repeat);
        Assert.True(messages[1].Repeat);
        Assert.Equal(messages[0].GroupId, messages[1].GroupId);
        var resolved = messages.Single(p => p.Status == "resolved");
        Assert.Equal(new Dictionary<string, int> { ["recovered"] = 1 }, resolved.Counts);
        Assert.Equal(resolved, messages[^1]);
    }

    private async Task FastTagAsync(string tag)
    {
        using var put = await factory.CreateTrustedClient().PutAsJsonAsync($"/api/v1/tags/{tag}/settings", new TagSettingsBody(0.5, 0));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    internal static async Task BeatAsync(HttpClient sensors, string sensorId, string status)
    {
        using var response = await sensors.PostAsJsonAsync($"/api/v1/heartbeats/{sensorId}", new { status });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<long> ScalarAsync(string sql, long id)
    {
        await using var command = factory.DataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<long> { TypedValue = id });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
