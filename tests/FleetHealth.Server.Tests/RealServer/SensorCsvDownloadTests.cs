using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Sensors;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary><c>?format=csv</c> on a sensor's heartbeats and history, downloaded from the built server over loopback and parsed back.</summary>
public sealed class SensorCsvDownloadTests(RealServerFixture fixture) : IClassFixture<RealServerFixture>
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    [Fact]
    public async Task A_sensors_heartbeats_download_whole_as_csv_past_the_json_limit_with_the_same_values()
    {
        // 6,000 beats in the last hour: more than the JSON's default 5,000, all of them in the file.
        await fixture.ExecuteAsync("""
            INSERT INTO heartbeats (sensor_id, received_at, interval_seconds, sequence, status, lost_before)
            SELECT 'csv-beats', now() - make_interval(secs => 3000 - g * 0.5), CASE WHEN g = 0 THEN NULL ELSE 0.5 END, g,
                   CASE WHEN g % 10 = 3 THEN 'fault' ELSE 'ok' END, g % 2
            FROM generate_series(0, 5999) g
            """);
        var viewer = await fixture.Server.ClientAsAsync("viewer");

        using var response = await viewer.GetAsync("/api/v1/sensors/csv-beats/heartbeats?format=csv", HttpCompletionOption.ResponseHeadersRead);
        var json = (await viewer.GetFromJsonAsync<SensorHeartbeats>("/api/v1/sensors/csv-beats/heartbeats"))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("csv-beats-heartbeats.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        var csv = await CsvRows.ReadAsync(response);
        Assert.Equal(["received_at", "interval_seconds", "status", "sequence", "lost_before"], csv.Header);
        Assert.Equal(6000, csv.Rows.Count);
        Assert.True(json.Truncated);
        Assert.Equal(json.Items.Select(i => i.Sequence), csv.Rows.Take(json.Items.Count).Select(r => (long?)long.Parse(r["sequence"], Invariant)));
        for (var i = 0; i < 20; i++)
        {
            var (row, beat) = (csv.Rows[i], json.Items[i]);
            Assert.Equal(beat.ReceivedAt, DateTimeOffset.Parse(row["received_at"], Invariant));
            Assert.Equal(beat.IntervalSeconds, row["interval_seconds"] is "" ? null : double.Parse(row["interval_seconds"], Invariant));
            Assert.Equal((beat.Status, beat.LostBefore), (row["status"], int.Parse(row["lost_before"], Invariant)));
        }

        Assert.Equal("", csv.Rows[0]["interval_seconds"]); // the first beat has no interval: an empty field, not "null"
        Assert.EndsWith("+00:00", csv.Rows[0]["received_at"], StringComparison.Ordinal); // ISO 8601 in UTC
    }

    [Fact]
    public async Task A_sensors_history_downloads_as_csv_with_hostile_reasons_quoted_and_formulas_shown_as_text()
    {
        await fixture.ExecuteAsync("""
            INSERT INTO state_changes (sensor_id, from_status, to_status, at, reason)
            SELECT 'csv-hist', 'healthy', 'late', now() - make_interval(mins => 60 - n::int), r
            FROM unnest(ARRAY['missed, twice', 'said "late"', E'two\r\nlines', '=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', E'\ttabbed', 'plain', ''])
                 WITH ORDINALITY AS t(r, n)
            """);
        var viewer = await fixture.Server.ClientAsAsync("viewer");

        using var response = await viewer.GetAsync("/api/v1/sensors/csv-hist/history?format=csv");
        var json = (await viewer.GetFromJsonAsync<SensorHistory>("/api/v1/sensors/csv-hist/history"))!;

        Assert.Equal("csv-hist-history.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        var csv = await CsvRows.ReadAsync(response);
        Assert.Equal(["id", "from_status", "to_status", "at", "reason"], csv.Header);
        // Separators, quotes and line breaks come back whole; a cell a spreadsheet would run as a formula gets a leading '.
        Assert.Equal(
            ["missed, twice", "said \"late\"", "two\r\nlines", "'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(A1)", "'\ttabbed", "plain", ""],
            csv.Rows.Select(r => r["reason"]));
        Assert.Equal(json.Items.Select(i => i.Id), csv.Rows.Select(r => long.Parse(r["id"], Invariant)));
        Assert.Equal(json.Items.Select(i => (i.From, i.To, i.At)), csv.Rows.Select(r => (r["from_status"], r["to_status"], DateTimeOffset.Parse(r["at"], Invariant))));
    }

    [Fact]
    public async Task A_large_download_streams_every_row_in_order()
    {
        // 200,000 beats over two days: the file is written as the reader goes (chunked, no length up front).
        await fixture.ExecuteAsync("""
            INSERT INTO heartbeats (sensor_id, received_at, interval_seconds, sequence)
            SELECT 'csv-many', now() - interval '2 days' + make_interval(secs => g * 0.8), 0.8, g FROM generate_series(1, 200000) g
            """);
        var viewer = await fixture.Server.ClientAsAsync("viewer");
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-3).ToString("O", Invariant));

        using var response = await viewer.GetAsync($"/api/v1/sensors/csv-many/heartbeats?format=csv&since={since}", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var csv = CsvHelper.CsvReader.Create(body);
        long expected = 1;
        while (await csv.ReadAsync())
        {
            Assert.Equal(expected++, long.Parse(csv.GetString(3)!, Invariant));
        }

        Assert.Equal(200_001, expected);
    }

    [Fact]
    public async Task The_csv_downloads_need_a_signed_in_operator_like_the_json()
    {
        var anonymous = fixture.Server.CreateClient(); // no cookie jar: the shared Client keeps the sign-ins' cookies
        var sensor = await fixture.Server.IngestClientAsync();

        using var heartbeats = await anonymous.GetAsync("/api/v1/sensors/csv-beats/heartbeats?format=csv");
        using var history = await anonymous.GetAsync("/api/v1/sensors/csv-hist/history?format=csv");
        using var withIngestKey = await sensor.GetAsync("/api/v1/sensors/csv-hist/history?format=csv");

        Assert.Equal(HttpStatusCode.Unauthorized, heartbeats.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, history.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withIngestKey.StatusCode); // an ingest key never reads the fleet
    }

    [Theory]
    [InlineData("/api/v1/sensors/x/heartbeats?format=xlsx", "format")]
    [InlineData("/api/v1/sensors/x/history?format=CSV", "format")]
    [InlineData("/api/v1/sensors/bad%20id/history?format=csv", "sensorId")]
    public async Task Bad_download_parameters_are_400_naming_the_field(string url, string field)
    {
        var viewer = await fixture.Server.ClientAsAsync("viewer");

        using var response = await viewer.GetAsync(url);

        await Api.ApiAssertions.AssertFieldErrorAsync(response, field);
    }
}
