using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Notifications;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>The notification API as the tests drive it.</summary>
internal static class NotificationApi
{
    public static async Task<ChannelView> CreateChannelAsync(this HttpClient client, ChannelBody body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/notifications/channels", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ChannelView>())!;
    }

    public static Task<ChannelView> CreateWebhookAsync(this HttpClient client, string url, string? secret = null) =>
        client.CreateChannelAsync(Webhook(url, secret));

    public static ChannelBody Webhook(string url, string? secret = null, string name = "hook") =>
        new(name, "webhook", url, secret, null, null, null, null, null, null, null);

    public static async Task<RuleView> CreateRuleAsync(this HttpClient client, RuleBody body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/notifications/rules", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<RuleView>())!;
    }

    public static RuleBody Rule(string[] transitions, string? tag, long channel, double wait = 1, double interval = 300, double repeat = 14400, string name = "rule") =>
        new(name, transitions, tag, [channel], wait, interval, repeat);

    public static async Task<IReadOnlyList<DeliveryView>> DeliveriesAsync(this HttpClient client, long channel) =>
        (await client.GetFromJsonAsync<DeliveryList>($"/api/v1/notifications/deliveries?channel={channel}"))!.Items;
}
