using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>Delivery against real receivers that are down, failing, slow or fine; and the channel test endpoint.</summary>
public sealed class DeliveryTests(NotificationFactory factory) : IClassFixture<NotificationFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _admin = factory.CreateClientAs(OperatorRoles.Admin);

    [Fact]
    public async Task A_receiver_down_then_failing_then_back_gets_every_message_once_by_idempotency_key()
    {
        await using var receiver = new WebhookReceiver();
        await receiver.DownAsync();
        var channel = await _admin.CreateWebhookAsync(receiver.Url());
        const int messages = 4;
        for (var i = 0; i < messages; i++)
        {
            await _admin.CreateRuleAsync(NotificationApi.Rule(["fault"], $"down-{i}", channel.Id, wait: 0));
            using var sensor = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync($"down-{i}"));
            await GroupingTests.BeatAsync(sensor, $"down-s{i}", "fault");
        }

        await Eventually.Until(
            () => _admin.DeliveriesAsync(channel.Id),
            d => d.Count == messages && d.All(x => x is { Status: "pending", Attempts: >= 3, LastError: not null }),
            TimeSpan.FromSeconds(60),
            "every delivery has been tried and failed while nothing listens");
        receiver.Mode = ReceiverMode.Fail500;
        receiver.Up();
        await Eventually.Until(() => Task.FromResult(receiver.Requests.Count), n => n >= messages, TimeSpan.FromSeconds(60), "the failing receiver is asked");
        var failing = await _admin.DeliveriesAsync(channel.Id);
        receiver.Mode = ReceiverMode.Ok;
        var delivered = await Eventually.Until(
            () => _admin.DeliveriesAsync(channel.Id), d => d.All(x => x.Status == "delivered"), TimeSpan.FromSeconds(60), "every delivery gets through");

        Assert.Contains(failing, d => d.LastStatus == 500);
        var accepted = receiver.Accepted.GroupBy(r => r.Headers["Idempotency-Key"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(delivered.Select(d => d.IdempotencyKey).Order(), accepted.Keys.Order());
        Assert.All(accepted.Values, count => Assert.Equal(1, count));
        Assert.All(delivered, d => Assert.True(d.Attempts > 3));
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_fails_the_delivery_at_once()
    {
        await using var receiver = new WebhookReceiver { RedirectTo = "http://127.0.0.1:9/elsewhere" };
        var channel = await _admin.CreateWebhookAsync(receiver.Url("/redirect"));
        await _admin.CreateRuleAsync(NotificationApi.Rule(["fault"], "redirected", channel.Id, wait: 0));
        using var sensor = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync("redirected"));

        await GroupingTests.BeatAsync(sensor, "redirected-1", "fault");

        var failed = await Eventually.Until(
            () => _admin.DeliveriesAsync(channel.Id), d => d.Count == 1 && d[0].Status == "failed", TimeSpan.FromSeconds(30), "the delivery fails");
        Assert.Equal((1, 302), (failed[0].Attempts, failed[0].LastStatus));
        Assert.Contains("not followed", failed[0].LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task The_test_endpoint_answers_with_what_the_webhook_said_and_signs_its_message()
    {
        await using var receiver = new WebhookReceiver();
        var channel = await _admin.CreateWebhookAsync(receiver.Url(), secret: "test-secret");

        var ok = await TestAsync(channel.Id);
        receiver.Mode = ReceiverMode.Fail500;
        var failing = await TestAsync(channel.Id);
        receiver.Mode = ReceiverMode.Slow;
        var slow = await TestAsync(channel.Id);

        Assert.Equal((true, 200, "ok"), (ok.Delivered, ok.Status, ok.Response));
        Assert.Equal((false, 500), (failing.Delivered, failing.Status));
        Assert.Contains("broken", failing.Error, StringComparison.Ordinal);
        Assert.False(slow.Delivered);
        Assert.Contains("No answer within", slow.Error, StringComparison.Ordinal);
        var first = receiver.Requests[0];
        Assert.True(Signature.IsValid(first, "test-secret"));
        var payload = JsonSerializer.Deserialize<NotificationPayload>(first.Body, Web)!;
        Assert.Equal(("test", ok.NotificationId), (payload.Type, payload.NotificationId));
        Assert.DoesNotContain("test-secret", first.Body, StringComparison.Ordinal);
        var log = await _admin.DeliveriesAsync(channel.Id);
        Assert.Equal(["failed", "failed", "delivered"], log.Select(d => d.Status));
    }

    [Fact]
    public async Task The_test_endpoint_posts_slacks_message_format()
    {
        await using var receiver = new WebhookReceiver();
        var channel = await _admin.CreateChannelAsync(new ChannelBody("slack", "slack", receiver.Url("/services/T1/B1/abc"), null, null, null, null, null, null, null, null));

        var result = await TestAsync(channel.Id);

        Assert.True(result.Delivered, result.Error);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/services/T1/B1/abc", request.Path);
        var text = JsonDocument.Parse(request.Body).RootElement.GetProperty("text").GetString();
        Assert.Contains("Test message from FleetHealth", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_test_endpoint_sends_an_email_through_a_real_smtp_server()
    {
        await using var smtp = new SmtpReceiver();
        var channel = await _admin.CreateChannelAsync(new ChannelBody(
            "mail", "email", null, null, "127.0.0.1", smtp.Port, "none", null, null, "FleetHealth <fh@example.org>", ["ops@example.org", "oncall@example.org"]));

        var result = await TestAsync(channel.Id);

        Assert.True(result.Delivered, result.Error);
        var mail = await Eventually.Until(() => Task.FromResult(smtp.Messages), m => m.Count == 1, TimeSpan.FromSeconds(10), "the mail arrives");
        Assert.Contains("Test message from FleetHealth", mail[0].Subject, StringComparison.Ordinal);
        Assert.Equal($"{result.NotificationId}@fleethealth", mail[0].MessageId);
        Assert.Equal(["ops@example.org", "oncall@example.org"], mail[0].To.Mailboxes.Select(m => m.Address));
    }

    [Fact]
    public async Task The_delivery_log_refuses_a_bad_channel_or_limit()
    {
        var operatorClient = factory.CreateClientAs(OperatorRoles.Operator);

        using var badChannel = await operatorClient.GetAsync("/api/v1/notifications/deliveries?channel=x");
        using var badLimit = await operatorClient.GetAsync("/api/v1/notifications/deliveries?limit=0");
        using var viewer = await factory.CreateClientAs(OperatorRoles.Viewer).GetAsync("/api/v1/notifications/deliveries");

        await Api.ApiAssertions.AssertFieldErrorAsync(badChannel, "channel");
        await Api.ApiAssertions.AssertFieldErrorAsync(badLimit, "limit");
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
    }

    private async Task<ChannelTestResult> TestAsync(long channel)
    {
        using var response = await _admin.PostAsync($"/api/v1/notifications/channels/{channel}/test", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ChannelTestResult>())!;
    }
}
