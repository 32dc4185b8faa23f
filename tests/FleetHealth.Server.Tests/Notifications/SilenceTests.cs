using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Notifications;

public sealed class SilenceTests(NotificationFactory factory) : IClassFixture<NotificationFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _operator = factory.CreateClientAs(OperatorRoles.Operator);

    [Fact]
    public async Task A_silenced_tags_transitions_are_recorded_muted_and_not_sent_until_the_silence_ends()
    {
        const string tag = "maint";
        await using var receiver = new WebhookReceiver();
        var channel = await factory.CreateClientAs(OperatorRoles.Admin).CreateWebhookAsync(receiver.Url());
        await _operator.CreateRuleAsync(NotificationApi.Rule(["fault"], tag, channel.Id, wait: 0));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));
        using var create = await _operator.PostAsJsonAsync("/api/v1/notifications/silences", new SilenceBody(tag, null, null, null, 3600, "firmware rollout"));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var silence = (await create.Content.ReadFromJsonAsync<SilenceView>())!;
        Assert.True(silence.Active);

        await GroupingTests.BeatAsync(sensors, "maint-1", "fault");
        await Eventually.Until(() => MutedRowsAsync("maint-1"), n => n == 1, TimeSpan.FromSeconds(30), "the muted transition is recorded");
        using var end = await _operator.PostAsync($"/api/v1/notifications/silences/{silence.Id}/end", null);
        await GroupingTests.BeatAsync(sensors, "maint-2", "fault");

        await Eventually.Until(() => Task.FromResult(receiver.Accepted.Count), n => n >= 1, TimeSpan.FromSeconds(30), "the unmuted transition is sent");
        var payload = JsonSerializer.Deserialize<NotificationPayload>(Assert.Single(receiver.Accepted).Body, Web)!;
        Assert.Equal("maint-2", Assert.Single(payload.Sensors).Id);
        Assert.False((await end.Content.ReadFromJsonAsync<SilenceView>())!.Active);
        Assert.Contains((await _operator.GetFromJsonAsync<SilenceList>("/api/v1/notifications/silences"))!.Items, s => s.Id == silence.Id && !s.Active);
    }

    [Theory]
    [InlineData("""{"durationSeconds": 60}""", "target")]
    [InlineData("""{"tag": "a", "sensorId": "b", "durationSeconds": 60}""", "target")]
    [InlineData("""{"tag": "bad tag", "durationSeconds": 60}""", "tag")]
    [InlineData("""{"tag": "a"}""", "endsAt")]
    [InlineData("""{"tag": "a", "durationSeconds": -5}""", "durationSeconds")]
    [InlineData("""{"tag": "a", "endsAt": "2000-01-01T00:00:00Z"}""", "endsAt")]
    [InlineData("""{"tag": "a", "durationSeconds": "soon"}""", "body")]
    public async Task A_bad_silence_is_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _operator.PostAsync("/api/v1/notifications/silences", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    private async Task<long> MutedRowsAsync(string sensorId)
    {
        await using var command = factory.DataSource.CreateCommand("SELECT count(*) FROM notification_outbox WHERE sensor_id = $1 AND muted_by IS NOT NULL AND grouped_at IS NOT NULL");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = sensorId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
