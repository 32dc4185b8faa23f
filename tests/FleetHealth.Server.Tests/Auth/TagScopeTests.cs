using System.Net;
using System.Net.Http.Json;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>A key scoped to a tag beats only for sensors that carry it (the sensor's actor decides).</summary>
public sealed class TagScopeTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _operator = factory.CreateTrustedClient();

    [Fact]
    public async Task A_scoped_key_beats_for_a_sensor_with_its_tag()
    {
        await TagAsync("scope-in-1", "site:north", "bay-1");
        using var north = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync("site:north"));

        using var response = await north.PostAsync("/api/v1/heartbeats/scope-in-1", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await SensorAsync("scope-in-1")).HeartbeatCount);
    }

    [Fact]
    public async Task A_scoped_key_is_403_for_a_known_sensor_without_its_tag_and_nothing_is_recorded()
    {
        await TagAsync("scope-out-1", "site:south");
        using var north = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync("site:north"));

        using var response = await north.PostAsJsonAsync("/api/v1/heartbeats/scope-out-1", new HeartbeatBody(Sequence: 99));

        var problem = await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("site:north", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var sensor = await SensorAsync("scope-out-1");
        Assert.Equal(1, sensor.HeartbeatCount);
        Assert.Equal(["site:south"], sensor.Tags);
    }

    [Fact]
    public async Task A_duplicate_from_a_scoped_key_outside_its_tag_is_still_403()
    {
        using var all = factory.CreateIngestClient();
        await all.PostAsJsonAsync("/api/v1/heartbeats/scope-dup-1", new HeartbeatBody(Sequence: 5));
        using var north = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync("site:north"));

        using var response = await north.PostAsJsonAsync("/api/v1/heartbeats/scope-dup-1", new HeartbeatBody(Sequence: 5));

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_sensor_first_heard_through_a_scoped_key_registers_with_its_tag()
    {
        using var north = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync("site:north"));

        using var first = await north.PostAsync("/api/v1/heartbeats/scope-new-1", null);
        using var second = await north.PostAsync("/api/v1/heartbeats/scope-new-1", null);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        var sensor = await SensorAsync("scope-new-1");
        Assert.Equal(2, sensor.HeartbeatCount);
        Assert.Equal(["site:north"], sensor.Tags);
    }

    [Fact]
    public async Task In_a_batch_each_item_is_judged_on_its_own_sensor()
    {
        await TagAsync("scope-b-in", "site:north");
        await TagAsync("scope-b-out", "site:south");
        using var north = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync("site:north"));

        using var response = await north.PostAsJsonAsync("/api/v1/heartbeats", new[]
        {
            new BatchItem("scope-b-in"), new BatchItem("scope-b-out"), new BatchItem("scope-b-new"),
        });

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<BatchResult>())!;
        Assert.Equal([202, 403, 202], result.Items.Select(i => i.Status));
        Assert.Equal((2, 1), (result.Accepted, result.Rejected));
        Assert.Equal(1, (await SensorAsync("scope-b-out")).HeartbeatCount);
        Assert.Equal(["site:north"], (await SensorAsync("scope-b-new")).Tags);
    }

    [Fact]
    public async Task An_all_sensor_key_beats_for_any_sensor()
    {
        await TagAsync("scope-any-1", "site:south");

        using var response = await factory.CreateIngestClient().PostAsync("/api/v1/heartbeats/scope-any-1", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Makes the sensor known (one heartbeat through the all-sensor key) with these tags.</summary>
    private async Task TagAsync(string id, params string[] tags)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _operator.PostAsync($"/api/v1/heartbeats/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _operator.PutAsJsonAsync($"/api/v1/sensors/{id}/settings", new SensorSettingsBody(null, null, [.. tags]))).StatusCode);
    }

    private async Task<SensorView> SensorAsync(string id) => (await _operator.GetFromJsonAsync<SensorView>($"/api/v1/sensors/{id}"))!;
}
