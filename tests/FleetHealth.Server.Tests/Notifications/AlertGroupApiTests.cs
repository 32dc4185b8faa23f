using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary><c>GET /api/v1/notifications/groups?state=open</c>: the open alert groups the fleet page shows.</summary>
public sealed class AlertGroupApiTests(NotificationFactory factory) : IClassFixture<NotificationFactory>
{
    [Fact]
    public async Task An_open_group_is_listed_with_its_rule_counts_per_state_and_worst_sensors_first()
    {
        const string tag = "grp-open";
        var admin = factory.CreateClientAs(OperatorRoles.Admin);
        var channel = await admin.CreateWebhookAsync("http://127.0.0.1:9/unused");
        // A long group wait: the group stays open and unsent for the whole test.
        var rule = await admin.CreateRuleAsync(NotificationApi.Rule(["fault", "stale"], tag, channel.Id, wait: 3600, name: "pumps down"));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));
        await GroupingTests.BeatAsync(sensors, "g-b", "fault");
        await GroupingTests.BeatAsync(sensors, "g-a", "fault");
        var viewer = factory.CreateClientAs(OperatorRoles.Viewer);

        var group = await Eventually.Until(
            async () => (await viewer.GetFromJsonAsync<AlertGroupList>("/api/v1/notifications/groups?state=open"))!.Items.SingleOrDefault(g => g.RuleId == rule.Id),
            g => g is { Members: 2 },
            TimeSpan.FromSeconds(30),
            "the rule's group lists both sensors");

        Assert.Equal("pumps down", group!.RuleName);
        Assert.Equal(tag, group.RuleTag);
        Assert.Equal(new Dictionary<string, int> { ["fault"] = 2 }, group.Counts);
        Assert.Equal(["g-a", "g-b"], group.Sensors);
        Assert.Null(group.LastSentAt);
        Assert.True(group.NextFlushAt > group.OpenedAt.AddMinutes(59));
    }

    [Fact]
    public async Task Without_a_state_the_open_groups_are_listed()
    {
        using var response = await factory.CreateClientAs(OperatorRoles.Viewer).GetAsync("/api/v1/notifications/groups");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<AlertGroupList>())!.Items);
    }

    [Fact]
    public async Task A_state_other_than_open_is_400_naming_it()
    {
        using var response = await factory.CreateClientAs(OperatorRoles.Viewer).GetAsync("/api/v1/notifications/groups?state=closed");

        await ApiAssertions.AssertFieldErrorAsync(response, "state");
    }

    [Fact]
    public async Task Without_a_session_the_groups_are_401()
    {
        using var response = await factory.CreateClient().GetAsync("/api/v1/notifications/groups");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
