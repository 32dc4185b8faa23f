using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Operations;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Api;

public sealed class SensorCommandApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task Settings_are_stored_on_the_sensor_and_shown()
    {
        await _client.PostAsync("/api/v1/heartbeats/cmd-1", null);

        using var response = await _client.PutAsJsonAsync("/api/v1/sensors/cmd-1/settings", new SensorSettingsBody(15, 5, ["site:a", "bay-3"]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sensor = await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/cmd-1");
        Assert.Equal((15.0, 5.0), (sensor!.IntervalSeconds, sensor.GraceSeconds));
        Assert.Equal(["bay-3", "site:a"], sensor.Tags);
    }

    [Fact]
    public async Task A_retired_sensor_shows_retired_and_can_be_reactivated()
    {
        await _client.PostAsync("/api/v1/heartbeats/cmd-2", null);

        var retired = await (await _client.PostAsync("/api/v1/sensors/cmd-2/retire", null)).Content.ReadFromJsonAsync<SensorView>();
        var again = await _client.PostAsync("/api/v1/sensors/cmd-2/retire", null);
        var reactivated = await (await _client.PostAsync("/api/v1/sensors/cmd-2/reactivate", null)).Content.ReadFromJsonAsync<SensorView>();

        Assert.Equal("retired", retired!.Status);
        Assert.NotNull(retired.RetiredAt);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("healthy", reactivated!.Status);
    }

    [Fact]
    public async Task A_provisioned_sensor_is_registered_before_it_is_heard_from()
    {
        var registered = await (await _client.PostAsync("/api/v1/sensors/cmd-3/register", null)).Content.ReadFromJsonAsync<SensorView>();

        Assert.Equal(("registered", 0L), (registered!.Status, registered.HeartbeatCount));
    }

    [Fact]
    public async Task Commands_on_an_unknown_sensor_are_404()
    {
        using var response = await _client.PostAsync("/api/v1/sensors/cmd-nobody/retire", null);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("...", "register")] // '.' and '..' never arrive: the client resolves them as path segments
    [InlineData("...", "retire")]
    [InlineData("...", "reactivate")]
    public async Task Ids_of_dots_only_are_refused_naming_the_rule(string id, string command)
    {
        using var response = await _client.PostAsync($"/api/v1/sensors/{id}/{command}", null);

        var message = await ApiAssertions.AssertFieldErrorAsync(response, "sensorId");
        Assert.Contains("only of dots", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"intervalSeconds\": 0}", "intervalSeconds")]
    [InlineData("{\"graceSeconds\": -1}", "graceSeconds")]
    [InlineData("{\"tags\": [\"bad tag\"]}", "tags")]
    [InlineData("{\"tags\": \"north\"}", "body")]
    [InlineData("{\"intervalSeconds\": \"15\"}", "body")]
    [InlineData("not json", "body")]
    [InlineData("", "body")]
    public async Task Bad_settings_are_400_naming_the_field(string json, string field)
    {
        await _client.PostAsync("/api/v1/heartbeats/cmd-4", null);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PutAsync("/api/v1/sensors/cmd-4/settings", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task The_status_shows_the_projection_catching_up()
    {
        await _client.PostAsync("/api/v1/heartbeats/cmd-5", null);

        var status = await Eventually.Until(
            async () => (await _client.GetFromJsonAsync<NodeStatus>("/api/v1/status"))!,
            s => s.Projection.Leader && s.Projection.Offset > 0 && s.Projection.LagEvents == 0,
            TimeSpan.FromSeconds(10),
            "the projection leads and catches up");

        Assert.True(status.ResidentSensors >= 1);
    }
}
