using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Api;

public sealed class SensorApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task An_unknown_sensor_is_404_with_a_problem_body()
    {
        using var response = await _client.GetAsync("/api/v1/sensors/never-heard-of");

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_id_on_read_is_400()
    {
        using var response = await _client.GetAsync("/api/v1/sensors/bad%20id");

        await ApiAssertions.AssertFieldErrorAsync(response, "sensorId");
    }

    [Fact]
    public async Task Paging_walks_every_sensor_exactly_once_in_id_order()
    {
        var ids = Enumerable.Range(0, 57).Select(i => $"page-{i:D3}").ToList();
        await Task.WhenAll(ids.Select(id => _client.PostAsync($"/api/v1/heartbeats/{id}", null)));
        await Eventually.Until(
            async () => (await _client.GetFromJsonAsync<SensorPage>("/api/v1/sensors?limit=1000&q=page-"))!.Items.Count,
            count => count == ids.Count,
            TimeSpan.FromSeconds(10),
            "the projection lists every sensor");

        var seen = new List<string>();
        string? after = "page-";
        do
        {
            var page = await _client.GetFromJsonAsync<SensorPage>($"/api/v1/sensors?limit=10&after={after}");
            Assert.NotNull(page);
            Assert.InRange(page.Items.Count, 1, 10);
            seen.AddRange(page.Items.Select(s => s.SensorId).Where(s => s.StartsWith("page-", StringComparison.Ordinal)));
            after = page.Next;
        }
        while (after is not null && after.StartsWith("page-", StringComparison.Ordinal));

        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task The_default_page_is_bounded()
    {
        var page = await _client.GetFromJsonAsync<SensorPage>("/api/v1/sensors");

        Assert.NotNull(page);
        Assert.InRange(page.Items.Count, 0, SensorApi.DefaultPageSize);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("after=bad%20id", "after")]
    public async Task Bad_paging_parameters_are_400(string query, string field)
    {
        using var response = await _client.GetAsync($"/api/v1/sensors?{query}");

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_non_numeric_limit_is_400()
    {
        using var response = await _client.GetAsync("/api/v1/sensors?limit=ten");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_list_filters_by_state_tag_and_text()
    {
        await factory.DataSource.CreateCommand("""
            INSERT INTO sensors (sensor_id, status, tags, heartbeat_count) VALUES
              ('flt-North-1', 'late', '{north}', 0), ('flt-north-2', 'healthy', '{north}', 0), ('flt-south-1', 'late', '{south}', 0)
            """).ExecuteNonQueryAsync();

        async Task<string[]> Ids(string query) =>
            [.. (await _client.GetFromJsonAsync<SensorPage>($"/api/v1/sensors?{query}"))!.Items.Select(s => s.SensorId)];

        Assert.Equal(["flt-North-1", "flt-south-1"], await Ids("state=late&q=flt-"));
        Assert.Equal(["flt-North-1", "flt-north-2"], await Ids("tag=north"));
        Assert.Equal(["flt-North-1", "flt-north-2"], await Ids("q=NORTH"));
        Assert.Equal(["flt-North-1"], await Ids("q=north&state=late&tag=north"));
        Assert.Empty(await Ids("q=%25"));
    }

    [Theory]
    [InlineData("state=sleepy", "state")]
    [InlineData("tag=bad%20tag", "tag")]
    [InlineData("q=", "q")]
    public async Task Bad_filters_are_400(string query, string field)
    {
        using var response = await _client.GetAsync($"/api/v1/sensors?{query}");

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }
}
