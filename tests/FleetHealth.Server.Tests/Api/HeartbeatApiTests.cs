using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Server.Tests.Truth;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Api;

public sealed class HeartbeatApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task An_accepted_heartbeat_is_already_in_the_journal_when_202_arrives()
    {
        using var response = await _client.PostAsync("/api/v1/heartbeats/durable-1", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1L, await new SensorJournal(factory.DataSource).HeartbeatsAsync("durable-1"));
    }

    [Fact]
    public async Task The_read_model_follows_the_journal()
    {
        using var response = await _client.PostAsync("/api/v1/heartbeats/projected-1", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var status = await Eventually.Until(
            async () =>
            {
                await using var command = factory.DataSource.CreateCommand("SELECT status FROM sensors WHERE sensor_id = 'projected-1'");
                return await command.ExecuteScalarAsync() as string;
            },
            s => s is not null,
            TimeSpan.FromSeconds(10),
            "the projection writes the sensor's row");

        Assert.Equal("healthy", status);
    }

    [Fact]
    public async Task A_heartbeat_then_shows_on_the_sensor_with_its_count()
    {
        var before = DateTimeOffset.UtcNow;
        for (var i = 0; i < 3; i++)
        {
            using var post = await _client.PostAsync("/api/v1/heartbeats/s-1", null);
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            Assert.Equal("/api/v1/sensors/s-1", post.Headers.Location?.OriginalString);
        }

        var sensor = await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/s-1");

        Assert.NotNull(sensor);
        Assert.Equal("s-1", sensor.SensorId);
        Assert.Equal(3, sensor.HeartbeatCount);
        Assert.InRange(sensor.FirstSeen!.Value, before.AddSeconds(-1), sensor.LastSeen!.Value);
        Assert.Equal("healthy", sensor.Status);
    }

    [Fact]
    public async Task A_heartbeat_with_a_full_body_is_accepted()
    {
        using var response = await _client.PostAsJsonAsync("/api/v1/heartbeats/full-body", new HeartbeatBody(
            Sequence: 7, SentAt: DateTimeOffset.UtcNow, Status: "fault", Battery: 55.5, Signal: -70, Firmware: "1.2.3",
            Metrics: new Dictionary<string, double> { ["temperature"] = 21.5 }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<HeartbeatAccepted>();
        Assert.Equal("full-body", body!.SensorId);
    }

    public static TheoryData<string, string> BadIds => new()
    {
        { "", "empty" },
        { new string('a', SensorId.MaxLength + 1), "at most 128" },
        { "bad%20id", "position 4" },
        { "a%2Fb", "position 2" },
        { "caf%C3%A9", "position 4" },
        { "a/b", "position 2" },
        { "...", "only of dots" }, // '.' and '..' never arrive: the client resolves them as path segments
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task A_bad_sensor_id_gets_400_naming_the_fault(string id, string expected)
    {
        using var response = await _client.PostAsync($"/api/v1/heartbeats/{id}", null);

        var message = await ApiAssertions.AssertFieldErrorAsync(response, "sensorId");
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_longest_allowed_id_with_every_allowed_character_is_accepted()
    {
        var id = ("AZaz09._:-" + new string('x', SensorId.MaxLength))[..SensorId.MaxLength];

        using var response = await _client.PostAsync($"/api/v1/heartbeats/{id}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"battery\": 101}", "battery")]
    [InlineData("{\"battery\": -1}", "battery")]
    [InlineData("{\"signal\": -300}", "signal")]
    [InlineData("{\"status\": \"broken\"}", "status")]
    [InlineData("{\"sequence\": -1}", "sequence")]
    [InlineData("{\"firmware\": \"01234567890123456789012345678901234567890123456789012345678901234\"}", "firmware")]
    [InlineData("{\"metrics\": {\"\": 1}}", "metrics")]
    [InlineData("{\"sequence\": \"seven\"}", "sequence")]
    [InlineData("{\"sentAt\": \"yesterday\"}", "sentAt")]
    [InlineData("{\"battery\": ", "body")]
    [InlineData("[1, 2, 3]", "body")]
    [InlineData("\u0000\u0001garbage", "body")]
    public async Task A_bad_body_gets_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats/body-check", content);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Theory]
    [InlineData("{\"sequence\": \"5\"}", "sequence", "must be a JSON number (an integer), got a string")]
    [InlineData("{\"sequence\": 1.5}", "sequence", "whole number")]
    [InlineData("{\"battery\": \"50\"}", "battery", "must be a JSON number, got a string")]
    [InlineData("{\"signal\": true}", "signal", "must be a JSON number, got a boolean")]
    [InlineData("{\"status\": 1}", "status", "must be a JSON string, got a number")]
    [InlineData("{\"metrics\": {\"temp\": \"21.5\"}}", "metrics", "metric 'temp' must be a JSON number")]
    [InlineData("{\"sentAt\": \"2026-12-03T10:00:00\"}", "sentAt", "with an offset (Z or ±hh:mm)")]
    [InlineData("{\"sentAt\": \"2026-12-03\"}", "sentAt", "with an offset (Z or ±hh:mm)")]
    [InlineData("[1, 2]", "body", "must be a JSON object, got an array")]
    [InlineData("\"beat\"", "body", "must be a JSON object, got a string")]
    public async Task A_field_of_the_wrong_type_is_refused_saying_what_was_wrong(string json, string field, string expected)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats/typed-check", content);

        var message = await ApiAssertions.AssertFieldErrorAsync(response, field);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("not valid JSON", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("offset-z", "2026-12-03T10:00:00Z")]
    [InlineData("offset-east", "2026-12-03T10:00:00.123+02:00")]
    [InlineData("offset-west", "2026-12-03T10:00:00-05:30")]
    public async Task A_sent_at_with_an_offset_is_stored_as_that_instant(string sensorId, string sentAt)
    {
        using var content = new StringContent($"{{\"sentAt\": \"{sentAt}\"}}", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync($"/api/v1/heartbeats/{sensorId}", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await Eventually.Until(
            async () =>
            {
                await using var command = factory.DataSource.CreateCommand($"SELECT sent_at FROM heartbeats WHERE sensor_id = '{sensorId}'");
                return await command.ExecuteScalarAsync() as DateTime?;
            },
            s => s is not null,
            TimeSpan.FromSeconds(10),
            "the projection writes the heartbeat");
        Assert.Equal(DateTimeOffset.Parse(sentAt, CultureInfo.InvariantCulture).UtcDateTime, stored);
    }

    [Fact]
    public async Task Syntax_errors_are_still_reported_as_not_valid_json()
    {
        using var content = new StringContent("{\"battery\": ", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats/syntax-check", content);

        var message = await ApiAssertions.AssertFieldErrorAsync(response, "body");
        Assert.Contains("not valid JSON", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_metrics_are_refused()
    {
        var metrics = Enumerable.Range(0, HeartbeatValidation.MaxMetrics + 1).ToDictionary(i => $"m{i}", i => (double)i);

        using var response = await _client.PostAsJsonAsync("/api/v1/heartbeats/metrics-check", new HeartbeatBody(Metrics: metrics));

        await ApiAssertions.AssertFieldErrorAsync(response, "metrics");
    }

    [Fact]
    public async Task An_oversized_body_gets_413_and_the_server_keeps_serving()
    {
        using var content = new StringContent($"{{\"firmware\": \"{new string('x', 70_000)}\"}}", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/api/v1/heartbeats/big", content);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        using var next = await _client.PostAsync("/api/v1/heartbeats/after-big", null);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
    }

    [Fact]
    public async Task An_oversized_chunked_body_gets_413()
    {
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string(' ', 200_000) + "{}")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/heartbeats/chunked") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _client.SendAsync(request);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        using var content = new StringContent("seq=1", Encoding.UTF8, "text/plain");

        using var response = await _client.PostAsync("/api/v1/heartbeats/plain", content);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Refused_heartbeats_leave_no_trace()
    {
        using var content = new StringContent("{\"battery\": 500}", Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/api/v1/heartbeats/refused-1", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using var sensor = await _client.GetAsync("/api/v1/sensors/refused-1");

        Assert.Equal(HttpStatusCode.NotFound, sensor.StatusCode);
    }
}
