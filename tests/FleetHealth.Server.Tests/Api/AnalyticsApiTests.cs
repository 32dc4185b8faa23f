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
    public async Task Every_query_downloads_as_a_csv_attachment_whose_rows_are_the_json_rows()
    {
        await _client.PostAsync("/api/v1/heartbeats/analytics-csv", null);
        await Eventually.Until(
            async () => (await _client.GetFromJsonAsync<AnalyticsResult>("/api/v1/analytics/lifespan"))!.Rows.Count,
            rows => rows >= 1,
            TimeSpan.FromSeconds(10),
            "the projected sensor has a life");
        var asOf = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        foreach (var name in QuerySource.Embedded.Keys)
        {
            var json = (await _client.GetFromJsonAsync<AnalyticsResult>($"/api/v1/analytics/{name}?asOf={asOf}"))!.Rows.Select(r => r!.AsObject()).ToList();
            using var response = await _client.GetAsync($"/api/v1/analytics/{name}?asOf={asOf}&format=csv", HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal($"{name}.csv", response.Content.Headers.ContentDisposition.FileNameStar);
            await using var body = await response.Content.ReadAsStreamAsync();
            using var csv = CsvHelper.CsvReader.Create(body);
            var rows = new List<string?[]>();
            while (await csv.ReadAsync())
            {
                rows.Add([.. Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i))]);
            }

            var header = csv.Headers.ToArray();
            Assert.Equal(json.Count, rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                Assert.Equal(json[r].Select(p => p.Key), header);
                for (var c = 0; c < header.Length; c++)
                {
                    AssertSameValue(json[r][header[c]], rows[r][c], $"{name} row {r} {header[c]}");
                }
            }
        }
    }

    [Fact]
    public async Task A_format_other_than_json_or_csv_is_400_and_an_unknown_query_in_csv_is_404()
    {
        using (var xml = await _client.GetAsync("/api/v1/analytics/flapping?format=xml"))
        {
            await ApiAssertions.AssertFieldErrorAsync(xml, "format");
        }

        using var unknown = await _client.GetAsync("/api/v1/analytics/drop_everything?format=csv");
        await ApiAssertions.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    private static void AssertSameValue(System.Text.Json.Nodes.JsonNode? json, string? csv, string where)
    {
        if (json is null)
        {
            Assert.True(string.IsNullOrEmpty(csv), $"{where}: '{csv}' for null");
        }
        else if (json.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            Assert.Equal(json.GetValue<double>(), double.Parse(csv!, System.Globalization.CultureInfo.InvariantCulture), 9);
        }
        else if (json.GetValueKind() == System.Text.Json.JsonValueKind.String && DateTimeOffset.TryParse(json.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var time))
        {
            Assert.Equal(time, DateTimeOffset.Parse(csv!, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            Assert.Equal(json.ToString(), csv);
        }
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
