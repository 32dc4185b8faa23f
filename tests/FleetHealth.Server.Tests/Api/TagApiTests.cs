using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tags;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Api;

public sealed class TagApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task A_tags_settings_become_the_effective_settings_of_its_sensors_and_are_listed_with_a_sensor_count()
    {
        await _client.PostAsync("/api/v1/heartbeats/tg-1", null);
        await _client.PutAsJsonAsync("/api/v1/sensors/tg-1/settings", new SensorSettingsBody(null, 4, ["tg-north"]));

        using var put = await _client.PutAsJsonAsync("/api/v1/tags/tg-north/settings", new TagSettingsBody(15, 9));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var sensor = (await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/tg-1"))!;
        Assert.Equal(new EffectiveSettings(15, new SettingFrom("tag", "tg-north"), 4, new SettingFrom("sensor", null)), sensor.Effective);
        var tag = await Eventually.Until(
            () => _client.GetFromJsonAsync<TagView>("/api/v1/tags/tg-north"), t => t!.Sensors == 1, TimeSpan.FromSeconds(15), "the read model counts the tagged sensor");
        Assert.Equal((15.0, 9.0), (tag!.IntervalSeconds, tag.GraceSeconds));
        Assert.NotNull(tag.UpdatedAt);
        var list = (await _client.GetFromJsonAsync<TagList>("/api/v1/tags"))!;
        Assert.Contains(list.Items, t => t.Tag == "tg-north" && t.IntervalSeconds == 15);
        Assert.Equal((60.0, 30.0), (list.FleetIntervalSeconds, list.FleetGraceSeconds));
        var page = (await _client.GetFromJsonAsync<SensorPage>("/api/v1/sensors?tag=tg-north"))!;
        Assert.Equal(15, Assert.Single(page.Items).Effective.IntervalSeconds);
    }

    [Fact]
    public async Task A_change_names_the_operator_who_made_it()
    {
        using var put = await factory.CreateClientAs(OperatorRoles.Operator).PutAsJsonAsync("/api/v1/tags/tg-who/settings", new TagSettingsBody(5, 1));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = (await put.Content.ReadFromJsonAsync<TagView>())!;
        Assert.StartsWith($"{OperatorRoles.Operator}-", stored.UpdatedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_tags_settings_gives_its_sensors_the_fleet_defaults_again()
    {
        await _client.PostAsync("/api/v1/heartbeats/tg-2", null);
        await _client.PutAsJsonAsync("/api/v1/sensors/tg-2/settings", new SensorSettingsBody(null, null, ["tg-south"]));
        await _client.PutAsJsonAsync("/api/v1/tags/tg-south/settings", new TagSettingsBody(12, null));

        using var delete = await _client.DeleteAsync("/api/v1/tags/tg-south/settings");
        using var again = await _client.DeleteAsync("/api/v1/tags/tg-south/settings");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await ApiAssertions.AssertProblemAsync(again, HttpStatusCode.NotFound);
        var sensor = (await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/tg-2"))!;
        Assert.Equal(new EffectiveSettings(60, new SettingFrom("fleet", null), 30, new SettingFrom("fleet", null)), sensor.Effective);
    }

    [Fact]
    public async Task A_tag_with_a_slash_travels_encoded_and_a_tag_nobody_uses_can_be_set_ahead()
    {
        using var put = await _client.PutAsJsonAsync("/api/v1/tags/site%2Fwest/settings", new TagSettingsBody(null, 2));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var tag = (await _client.GetFromJsonAsync<TagView>("/api/v1/tags/site%2Fwest"))!;
        Assert.Equal(("site/west", 0L, (double?)null, (double?)2), (tag.Tag, tag.Sensors, tag.IntervalSeconds, tag.GraceSeconds));
    }

    [Fact]
    public async Task An_unknown_tag_is_404()
    {
        using var response = await _client.GetAsync("/api/v1/tags/nobody-has-this");

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"intervalSeconds\": 0}", "intervalSeconds")]
    [InlineData("{\"intervalSeconds\": -5}", "intervalSeconds")]
    [InlineData("{\"intervalSeconds\": 2592001}", "intervalSeconds")]
    [InlineData("{\"graceSeconds\": -1}", "graceSeconds")]
    [InlineData("{\"graceSeconds\": 1e308}", "graceSeconds")]
    [InlineData("{\"intervalSeconds\": \"ten\"}", "body")]
    [InlineData("{\"intervalSeconds\": ", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("null", "body")]
    public async Task Bad_settings_are_refused_naming_the_field(string json, string field)
    {
        using var response = await _client.PutAsync("/api/v1/tags/tg-bad/settings", new StringContent(json, Encoding.UTF8, "application/json"));

        await ApiAssertions.AssertFieldErrorAsync(response, field);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/tags/tg-bad")).StatusCode);
    }

    [Theory]
    [InlineData("bad%20tag")]
    [InlineData("t%C3%A9")]
    [InlineData("a%7Cb")]
    [InlineData("%3Cscript%3E")]
    [InlineData("a'%3B%20DROP%20TABLE%20tag_settings%3B--")]
    public async Task Hostile_tag_names_are_refused_naming_the_tag(string tag)
    {
        using var get = await _client.GetAsync($"/api/v1/tags/{tag}");
        using var put = await _client.PutAsJsonAsync($"/api/v1/tags/{tag}/settings", new TagSettingsBody(10, 1));
        using var delete = await _client.DeleteAsync($"/api/v1/tags/{tag}/settings");

        await ApiAssertions.AssertFieldErrorAsync(get, "tag");
        await ApiAssertions.AssertFieldErrorAsync(put, "tag");
        await ApiAssertions.AssertFieldErrorAsync(delete, "tag");
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/tags")).StatusCode);
    }

    [Fact]
    public async Task An_overlong_tag_and_an_oversized_body_are_refused()
    {
        using var longTag = await _client.PutAsJsonAsync($"/api/v1/tags/{new string('t', 65)}/settings", new TagSettingsBody(10, 1));
        using var huge = await _client.PutAsync("/api/v1/tags/tg-huge/settings",
            new StringContent($"{{\"intervalSeconds\": 10, \"pad\": \"{new string('x', 20_000)}\"}}", Encoding.UTF8, "application/json"));

        await ApiAssertions.AssertFieldErrorAsync(longTag, "tag");
        await ApiAssertions.AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge);
    }
}
