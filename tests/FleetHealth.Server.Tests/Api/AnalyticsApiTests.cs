using System.Net;
using System.Net.Http.Json;
using FleetHealth.Database;
using FleetHealth.Server.Analytics;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Api;

public sealed class AnalyticsApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task Every_shipped_query_is_listed_with_a_description()
    {
        var catalog = await _client.GetFromJsonAsync<AnalyticsCatalog>("/api/v1/analytics");

        Assert.Equal(QuerySource.Embedded.Keys.Order(StringComparer.Ordinal), catalog!.Queries.Select(q => q.Name));
        Assert.All(catalog.Queries, q => Assert.False(string.IsNullOrWhiteSpace(q.Description)));
    }

    [Fact]
    public async Task Every_description_is_a_whole_sentence_not_cut_at_the_end_of_a_line()
    {
        var catalog = await _client.GetFromJsonAsync<AnalyticsCatalog>("/api/v1/analytics");

        Assert.All(catalog!.Queries, q =>
        {
            Assert.Matches(@"^\p{Lu}", q.Description);
            Assert.EndsWith(".", q.Description, StringComparison.Ordinal);
            Assert.DoesNotContain("--", q.Description, StringComparison.Ordinal);
            // The whole first sentence: the comment's text, lines joined, begins with it and goes on with a new sentence or ends.
            var comment = string.Join(' ', QuerySource.Embedded[q.Name].Split('\n').TakeWhile(l => l.StartsWith("--", StringComparison.Ordinal)).Select(l => l.TrimStart('-', ' ').Trim()));
            var at = comment.IndexOf(q.Description, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{q.Name}: '{q.Description}' is not in its comment");
            var rest = comment[(at + q.Description.Length)..].TrimStart();
            Assert.True(rest.Length == 0 || char.IsUpper(rest[0]), $"{q.Name}: '{q.Description}' is followed by '{rest[..Math.Min(20, rest.Length)]}'");
        });
    }

    [Fact]
    public async Task Every_query_runs_over_http_with_its_defaults()
    {
        foreach (var name in QuerySource.Embedded.Keys)
        {
            using var response = await _client.GetAsync($"/api/v1/analytics/{name}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task A_heartbeat_shows_in_the_silent_share_of_the_fleet()
    {
        await _client.PostAsync("/api/v1/heartbeats/analytics-1", null);

        var fleet = await Eventually.Until(
            async () => (await _client.GetFromJsonAsync<AnalyticsResult>("/api/v1/analytics/silent_share?silentAfterSeconds=3600"))!.Rows.Single(r => r!["tag"] is null)!,
            row => row["sensors"]!.GetValue<long>() >= 1,
            TimeSpan.FromSeconds(10),
            "the projected sensor is counted");

        Assert.Equal(0, fleet["silent"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_unknown_query_is_404()
    {
        using var response = await _client.GetAsync("/api/v1/analytics/drop_everything");

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("silentAfterSeconds=-5", "silentAfterSeconds")]
    [InlineData("silentAfterSeconds=1%27%3B%20DROP%20TABLE%20sensors", "silentAfterSeconds")]
    [InlineData("since=yesterday", "since")]
    [InlineData("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until")]
    [InlineData("since=2020-01-01T00:00:00Z&until=2026-01-01T00:00:00Z", "since")]
    [InlineData("limit=0", "limit")]
    [InlineData("horizonDays=0", "horizonDays")]
    [InlineData("horizonDays=1e9", "horizonDays")]
    [InlineData("asOf=2199-01-01T00:00:00Z", "asOf")]
    [InlineData("asOf=2001-01-01T00:00:00Z", "asOf")]
    [InlineData("asOf=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z&since=2025-12-31T00:00:00Z", "asOf")]
    public async Task Bad_parameters_are_400_naming_them(string query, string field)
    {
        using var response = await _client.GetAsync($"/api/v1/analytics/flapping?{query}");

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }
}
