using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Api;

public sealed class BatchApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task A_good_batch_is_202_and_every_beat_is_stored()
    {
        var items = Enumerable.Range(0, 200).Select(i => new BatchItem($"gw-{i % 50}", Sequence: i)).ToList();

        using var response = await _client.PostAsJsonAsync("/api/v1/heartbeats", items);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<BatchResult>();
        Assert.Equal((200, 0), (result!.Accepted, result.Rejected));
        Assert.All(result.Items, item => Assert.Equal(202, item.Status));
        var sensor = await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/gw-7");
        Assert.Equal(4, sensor!.HeartbeatCount);
    }

    [Fact]
    public async Task A_mixed_batch_is_207_naming_each_bad_item_and_keeps_the_good_ones()
    {
        const string json = """[{"sensorId": "mix-ok"}, {"sensorId": "bad id"}, {"sensorId": "mix-bat", "battery": 900}, null, {"battery": 5}]""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats", content);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<BatchResult>();
        Assert.Equal((1, 4), (result!.Accepted, result.Rejected));
        Assert.Equal([202, 400, 400, 400, 400], result.Items.Select(i => i.Status));
        Assert.Contains("sensorId", result.Items[1].Errors!.Keys);
        Assert.Contains("battery", result.Items[2].Errors!.Keys);
        Assert.Contains("item", result.Items[3].Errors!.Keys);
        Assert.Contains("sensorId", result.Items[4].Errors!.Keys);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/sensors/mix-ok")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/sensors/mix-bat")).StatusCode);
    }

    [Fact]
    public async Task A_wrongly_typed_or_non_object_item_is_400_alone_and_the_others_are_stored()
    {
        const string json = """[{"sensorId": "typed-ok-1", "sequence": 1}, {"sensorId": "typed-bad", "sequence": "x"}, 5, {"sensorId": "typed-at", "sentAt": "2026-12-03T10:00:00"}, {"sensorId": "typed-ok-2", "battery": 50}]""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats", content);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<BatchResult>();
        Assert.Equal((2, 3), (result!.Accepted, result.Rejected));
        Assert.Equal([202, 400, 400, 400, 202], result.Items.Select(i => i.Status));
        Assert.Contains("JSON number", result.Items[1].Errors!["sequence"][0], StringComparison.Ordinal);
        Assert.Equal("typed-bad", result.Items[1].SensorId);
        Assert.Contains("must be a JSON object, got a number", result.Items[2].Errors!["item"][0], StringComparison.Ordinal);
        Assert.Contains("offset", result.Items[3].Errors!["sentAt"][0], StringComparison.Ordinal);
        Assert.Equal(1, (await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/typed-ok-1"))!.HeartbeatCount);
        Assert.Equal(1, (await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/typed-ok-2"))!.HeartbeatCount);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/sensors/typed-bad")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/sensors/typed-at")).StatusCode);
    }

    [Fact]
    public async Task Ids_of_dots_only_are_refused_per_item()
    {
        const string json = """[{"sensorId": ".."}, {"sensorId": "."}, {"sensorId": "dots-ok.."}]""";
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats", content);

        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<BatchResult>();
        Assert.Equal([400, 400, 202], result!.Items.Select(i => i.Status));
        Assert.All(result.Items.Take(2), item => Assert.Contains("only of dots", item.Errors!["sensorId"][0], StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}", "must be a JSON array of heartbeat objects, got an object")]
    [InlineData("\"beats\"", "must be a JSON array of heartbeat objects, got a string")]
    public async Task A_batch_of_the_wrong_shape_says_so_rather_than_invalid_json(string json, string expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats", content);

        var message = await ApiAssertions.AssertFieldErrorAsync(response, "body");
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "body")]
    [InlineData("{\"sensorId\": \"not-an-array\"}", "body")]
    [InlineData("[{\"sensorId\": ", "body")]
    public async Task A_batch_that_is_not_a_list_of_heartbeats_is_400(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_batch_over_the_item_limit_is_refused_whole()
    {
        var items = Enumerable.Range(0, 1001).Select(i => new BatchItem($"over-{i}")).ToList();

        using var response = await _client.PostAsJsonAsync("/api/v1/heartbeats", items);

        var message = await ApiAssertions.AssertFieldErrorAsync(response, "body");
        Assert.Contains("at most 1000", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/v1/sensors/over-0")).StatusCode);
    }

    [Fact]
    public async Task A_batch_over_the_size_limit_is_413()
    {
        var items = Enumerable.Range(0, 999).Select(i => new BatchItem($"big-{i}", Firmware: new string('f', 64), Metrics: Enumerable.Range(0, 16).ToDictionary(m => $"{m}-{new string('m', 60)}", m => (double)m))).ToList(); // about 1.2 MB

        using var response = await _client.PostAsJsonAsync("/api/v1/heartbeats", items);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }
}
