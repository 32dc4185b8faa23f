using System.Net;
using System.Net.Http.Headers;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary><c>GET /metrics</c> of the built server: the Prometheus text, scraped over loopback or with the configured token.</summary>
public sealed class MetricsEndpointTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private const string Token = "metrics-token-for-tests-0123";

    [Fact]
    public async Task A_loopback_scrape_shows_the_fleet_meters_and_they_move_with_heartbeats()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Metrics:StateCountsSeconds"] = "1" });
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "readiness");
        var before = await ScrapeAsync(server.CreateClient());
        Assert.True(before.Has("fleethealth_projection_lag_events"));
        Assert.True(before.Has("fleethealth_projection_lag_seconds"));
        Assert.True(before.Has("fleethealth_live_clients"));
        Assert.Equal(0, before.Value("fleethealth_ingest_heartbeats_total", ("outcome", "accepted")) ?? 0);

        var sensor = await server.IngestClientAsync();
        for (var i = 0; i < 3; i++)
        {
            using var accepted = await sensor.PostAsync($"/api/v1/heartbeats/metrics-{i}", null);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var keyless = await server.CreateClient().PostAsync("/api/v1/heartbeats/metrics-0", null);
        using var bad = await sensor.PostAsync("/api/v1/heartbeats/bad%20id", null);

        var after = await Eventually.Until(
            () => ScrapeAsync(server.CreateClient()),
            m => m.Value("fleethealth_sensors", ("state", "healthy")) == 3 && m.Value("fleethealth_ingest_heartbeats_total", ("outcome", "accepted")) == 3,
            TimeSpan.FromSeconds(30),
            "the scrape counts the three heartbeats and their healthy sensors");
        Assert.Equal(3, after.Value("fleethealth_ingest_requests_total", ("result", "accepted")));
        Assert.Equal(1, after.Value("fleethealth_ingest_requests_total", ("result", "unauthorized")));
        Assert.Equal(1, after.Value("fleethealth_ingest_requests_total", ("result", "rejected")));
        Assert.Equal(3, after.Value("fleethealth_ingest_duration_seconds_count", ("outcome", "accepted")));
        Assert.InRange(after.Value("fleethealth_ingest_duration_seconds_sum", ("outcome", "accepted"))!.Value, 0, 30);
        // Each first beat is one write of three events (registered, the heartbeat, healthy), timed by its sensor.
        Assert.Equal(3, after.Value("fleethealth_journal_write_duration_seconds_count"));
        Assert.InRange(after.Value("fleethealth_journal_write_duration_seconds_sum")!.Value, 0, after.Value("fleethealth_ingest_duration_seconds_sum", ("outcome", "accepted"))!.Value);
        Assert.Equal(3 * 3, after.Value("fleethealth_journal_write_events_sum"));
        Assert.Equal(0, after.Value("fleethealth_sensors", ("state", "dead")));
        Assert.Equal(1, after.Value("fleethealth_projection_leader"));
    }

    [Fact]
    public async Task A_token_configured_server_refuses_a_scrape_without_the_token_and_serves_one_with_it()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Metrics:Token"] = Token });
        var client = server.CreateClient();

        using var without = await client.GetAsync("/metrics");
        using var wrong = await SendAsync(client, "metrics-token-for-tests-0124");
        using var right = await SendAsync(client, Token);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("Bearer", without.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.True(PrometheusText.Parse(await right.Content.ReadAsStringAsync()).Has("fleethealth_projection_leader"));
    }

    [Fact]
    public async Task A_metrics_token_too_short_to_be_safe_stops_the_start_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServerProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Metrics:Token"] = "short" }));

        Assert.Contains("Metrics:Token", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
