using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Api;

namespace FleetHealth.Server.Tests.Notifications;

public sealed class RuleApiTests(NotificationFactory factory) : IClassFixture<NotificationFactory>
{
    private readonly HttpClient _operator = factory.CreateClientAs(OperatorRoles.Operator);

    [Fact]
    public async Task An_operator_makes_a_rule_that_takes_alertmanagers_default_timings()
    {
        var channel = await factory.CreateClientAs(OperatorRoles.Admin).CreateWebhookAsync("http://127.0.0.1:9/r");

        var rule = await _operator.CreateRuleAsync(new RuleBody("site a", ["stale", "recovered"], "site-a", [channel.Id], null, null, null));

        Assert.True(rule.Id > 0);
        Assert.Equal((30.0, 300.0, 14400.0), (rule.GroupWaitSeconds, rule.GroupIntervalSeconds, rule.RepeatIntervalSeconds));
        Assert.Equal([channel.Id], rule.Channels);
        Assert.Contains((await _operator.GetFromJsonAsync<RuleList>("/api/v1/notifications/rules"))!.Items, r => r.Id == rule.Id && r.Tag == "site-a");
    }

    [Fact]
    public async Task A_rule_is_replaced_and_deleted()
    {
        var channel = await factory.CreateClientAs(OperatorRoles.Admin).CreateWebhookAsync("http://127.0.0.1:9/r2");
        var rule = await _operator.CreateRuleAsync(NotificationApi.Rule(["late"], null, channel.Id));

        using var put = await _operator.PutAsJsonAsync($"/api/v1/notifications/rules/{rule.Id}", NotificationApi.Rule(["dead"], "t", channel.Id, wait: 0, name: "dead ones"));
        using var delete = await _operator.DeleteAsync($"/api/v1/notifications/rules/{rule.Id}");
        using var gone = await _operator.GetAsync($"/api/v1/notifications/rules/{rule.Id}");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var replaced = (await put.Content.ReadFromJsonAsync<RuleView>())!;
        Assert.Equal(("dead ones", "t", 0.0), (replaced.Name, replaced.Tag, replaced.GroupWaitSeconds));
        Assert.Equal(["dead"], replaced.Transitions);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await ApiAssertions.AssertProblemAsync(gone, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name": "x", "transitions": ["exploded"], "channels": [1]}""", "transitions")]
    [InlineData("""{"name": "x", "transitions": [], "channels": [1]}""", "transitions")]
    [InlineData("""{"name": "x", "transitions": ["late"], "channels": []}""", "channels")]
    [InlineData("""{"name": "x", "transitions": ["late"], "channels": [987654]}""", "channels")]
    [InlineData("""{"name": "x", "transitions": ["late"], "channels": [1], "tag": "bad tag"}""", "tag")]
    [InlineData("""{"name": "x", "transitions": ["late"], "channels": [1], "groupWaitSeconds": -1}""", "groupWaitSeconds")]
    [InlineData("""{"name": "x", "transitions": ["late"], "channels": [1], "groupIntervalSeconds": 0}""", "groupIntervalSeconds")]
    [InlineData("""{"name": "x", "transitions": ["late"], "channels": [1], "repeatIntervalSeconds": 1e12}""", "repeatIntervalSeconds")]
    [InlineData("""{"name": "", "transitions": ["late"], "channels": [1]}""", "name")]
    [InlineData("""{"name": "x", "transitions": "late", "channels": [1]}""", "body")]
    public async Task A_bad_rule_is_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _operator.PostAsync("/api/v1/notifications/rules", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_viewer_reads_no_rules()
    {
        using var response = await factory.CreateClientAs(OperatorRoles.Viewer).GetAsync("/api/v1/notifications/rules");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
