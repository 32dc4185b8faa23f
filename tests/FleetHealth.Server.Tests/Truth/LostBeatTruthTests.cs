using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetHealth.Server.Analytics;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Truth;

/// <summary>
/// Reordered, repeated and reset sequence numbers sent through the real server on a virtual clock,
/// one a minute: the sensor's own count and the lost_beats query agree, by the one definition
/// (Domain LostBeatCount), and neither is ever negative.
/// </summary>
public sealed class LostBeatTruthTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    // 15 skips 12..14 (3), 13 fills one (-1), repeats are duplicates, 0 is a reboot, 4 skips 2 and 3 (2), 2 fills one (-1).
    private static readonly long[] Mixed = [10, 3, 11, 11, 15, 13, 13, 0, 1, 4, 2, 2];

    private readonly IsolatedDatabase _db = new();
    private VirtualClockServer _server = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _server = await new VirtualClockServer(_db.ConnectionString, new VirtualClock(T0)).StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Lost_beats_are_never_negative_and_the_sensor_and_the_query_count_them_the_same_way()
    {
        long[] issue = [10, 3, 11]; // the reported case: the query said -1, the sensor 0
        for (var i = 0; i < Mixed.Length; i++)
        {
            await _server.AdvanceToAsync(T0.AddMinutes(i + 1));
            var items = new List<BatchItem> { new("lost-mixed", Mixed[i]) };
            if (i < issue.Length)
            {
                items.Add(new BatchItem("lost-issue", issue[i]));
            }

            using var response = await _server.Client.PostAsJsonAsync("/api/v1/heartbeats", items);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await _server.AdvanceToAsync(T0.AddMinutes(Mixed.Length + 1));
        await _server.CaughtUpAsync(_db.DataSource);
        var everything = $"since={Iso(T0)}&until={Iso(T0.AddMinutes(Mixed.Length + 1))}";
        var all = await LostAsync(everything);

        Assert.Equal((9, 3L), all["lost-mixed"]); // three repeats are duplicates, not recorded
        Assert.Equal((3, 0L), all["lost-issue"]);
        Assert.Equal((12, 3L), all[""]);
        Assert.Equal(3, await SensorLostAsync("lost-mixed"));
        Assert.Equal(0, await SensorLostAsync("lost-issue"));

        // A window that holds only the beat filling a gap opened before it (13, at minute 6) counts 0, not -1.
        var fillOnly = await LostAsync($"since={Iso(T0.AddMinutes(6))}&until={Iso(T0.AddMinutes(7))}");
        Assert.Equal((1, 0L), fillOnly["lost-mixed"]);
        // From that fill through the reboot and the next gap: -1 + 0 + 0 + 2.
        var afterReboot = await LostAsync($"since={Iso(T0.AddMinutes(6))}&until={Iso(T0.AddMinutes(11))}");
        Assert.Equal((4, 1L), afterReboot["lost-mixed"]);
    }

    private async Task<Dictionary<string, (int Received, long Lost)>> LostAsync(string query)
    {
        var result = await _server.Client.GetFromJsonAsync<AnalyticsResult>($"/api/v1/analytics/lost_beats?{query}&asOf={Iso(_server.Clock.GetUtcNow())}");
        var rows = result!.Rows.Select(r => r!.AsObject()).ToList();
        Assert.All(rows, r => Assert.InRange(r.D("lost_rate"), 0, 1));
        return rows.ToDictionary(r => r.S("sensor_id") ?? "", r => ((int)r.D("received"), (long)r.D("lost")));
    }

    private async Task<long> SensorLostAsync(string id)
    {
        var sensor = await _server.Client.GetFromJsonAsync<JsonObject>($"/api/v1/sensors/{id}");
        return sensor!["lostBeats"]!.GetValue<long>();
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
