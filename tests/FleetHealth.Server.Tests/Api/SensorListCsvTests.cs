using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Api;

public sealed class SensorListCsvTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Fact]
    public async Task The_filtered_sensor_list_downloads_whole_as_csv_across_pages_with_the_same_values_as_the_json()
    {
        // More matches than one page (1,000), written as the projection would, plus some the tag filter leaves out.
        await using (var insert = factory.DataSource.CreateCommand("""
            INSERT INTO sensors (sensor_id, first_seen, last_seen, heartbeat_count, status, status_since, registered_at, tags, lost_beats)
            SELECT format('csv-%s', lpad(i::text, 4, '0')), t - interval '1 day', t, i, 'healthy', t, t - interval '1 day',
                   CASE WHEN i % 100 = 7 THEN ARRAY['other'] ELSE ARRAY['csv-site', 'b'] END, i % 3
            FROM generate_series(0, 1105) AS i, (SELECT timestamptz '2026-06-01 00:00:00+00' AS t) now
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        using var response = await _client.GetAsync("/api/v1/sensors?tag=csv-site&format=csv", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("sensors.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var csv = CsvHelper.CsvReader.Create(body);
        var rows = new List<Dictionary<string, string>>();
        while (await csv.ReadAsync())
        {
            var headers = csv.Headers.ToArray();
            rows.Add(Enumerable.Range(0, csv.FieldCount).ToDictionary(i => headers[i], i => csv.GetString(i)));
        }

        var expected = Enumerable.Range(0, 1106).Where(i => i % 100 != 7).Select(i => $"csv-{i:D4}").ToList();
        Assert.Equal(expected, rows.Select(r => r["sensor_id"]));

        // The first JSON page says the same as the first rows of the file.
        var page = (await _client.GetFromJsonAsync<SensorPage>("/api/v1/sensors?tag=csv-site&limit=50"))!;
        for (var i = 0; i < page.Items.Count; i++)
        {
            var (row, sensor) = (rows[i], page.Items[i]);
            Assert.Equal((sensor.SensorId, sensor.Status, string.Join(' ', sensor.Tags)), (row["sensor_id"], row["status"], row["tags"]));
            Assert.Equal(sensor.LastSeen, DateTimeOffset.Parse(row["last_seen"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((sensor.HeartbeatCount, sensor.LostBeats), (long.Parse(row["heartbeat_count"]!, System.Globalization.CultureInfo.InvariantCulture), long.Parse(row["lost_beats"]!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(sensor.Effective.IntervalSeconds, double.Parse(row["effective_interval_seconds"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(string.IsNullOrEmpty(row["retired_at"]));
        }
    }

    [Fact]
    public async Task A_format_other_than_json_or_csv_is_400()
    {
        using var response = await _client.GetAsync("/api/v1/sensors?format=pdf");

        await ApiAssertions.AssertFieldErrorAsync(response, "format");
    }
}
