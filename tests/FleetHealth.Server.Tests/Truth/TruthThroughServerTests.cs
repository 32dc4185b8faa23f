using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetHealth.Actors.TestKit;
using FleetHealth.Server.Analytics;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tags;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Truth;

/// <summary>
/// A generated fleet driven through the real path (HTTP API, sensor actors and their timers, the
/// PostgreSQL journal, the projection) on a virtual clock, with a server restart halfway and a
/// rebuild at the end; every named query must give the answer computed from the plan.
/// </summary>
public sealed class TruthThroughServerTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Liveness:DeadAfterSeconds"] = GeneratedFleet.DeadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Compaction:Enabled"] = "false",
    };

    [Fact]
    public async Task Every_named_query_answers_the_truth_of_a_fleet_driven_through_the_server_across_a_restart_and_a_rebuild()
    {
        var fleet = new GeneratedFleet(seed: 20260601, sensors: 30, steps: 180);
        var clock = new VirtualClock(GeneratedFleet.T0);
        var server = await new VirtualClockServer(db.ConnectionString, clock, Settings).StartAsync();
        try
        {
            await ProvisionAsync(server.Client, fleet);
            var restartAt = GeneratedFleet.T0 + (fleet.Steps / 2 * GeneratedFleet.Step);
            var restarted = false;
            foreach (var (at, kind, items) in Timeline(fleet))
            {
                if (!restarted && at >= restartAt)
                {
                    // A restart in the middle: actors recover from the journal, the projection resumes from its offset.
                    await server.QuiesceAsync();
                    await server.DisposeAsync();
                    server = await new VirtualClockServer(db.ConnectionString, clock, Settings).StartAsync();
                    restarted = true;
                }

                await server.AdvanceToAsync(at);
                await SendAsync(server.Client, kind, items);
            }

            await server.AdvanceToAsync(fleet.End);
            await server.CaughtUpAsync(db.DataSource);

            var transitions = fleet.Sensors.ToDictionary(s => s.Id, fleet.TransitionsOf);
            var truth = new AnalyticsTruth(fleet, transitions);
            Assert.Superset( // the plan covers every rule: deaths, retirements, faults, stale gaps, returns
                new HashSet<string> { "registered->healthy", "healthy->late", "late->stale", "stale->dead", "healthy->retired", "healthy->fault", "fault->healthy", "stale->late", "late->healthy" },
                transitions.Values.SelectMany(t => t).Select(t => $"{t.From}->{t.To}").ToHashSet());
            Assert.Equal(
                transitions.Values.SelectMany(t => t).OrderBy(t => t.SensorId, StringComparer.Ordinal).ThenBy(t => t.At).Select(Describe),
                await StoredTransitionsAsync());
            Assert.Equal(fleet.Sensors.Sum(s => s.Beats.Count), await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'truth-%'"));
            Assert.Equal(fleet.Sensors.Sum(s => s.Beats.Count), await ScalarAsync("SELECT sum(heartbeat_count)::bigint FROM sensors WHERE sensor_id LIKE 'truth-%'"));
            await AssertQueriesAsync(server.Client, fleet, truth);

            var before = await TablesAsync();
            var services = server.Services;
            await services.GetRequiredService<ReadModelWriter>().RebuildAsync(
                "read-model", services.GetRequiredService<JournalReader>(), services.GetRequiredService<SensorSnapshots>(), 500, TimeSpan.FromHours(1),
                services.GetRequiredService<HeartbeatRetention>().KeptFrom(), CancellationToken.None);
            Assert.Equal(before, await TablesAsync());
            await AssertQueriesAsync(server.Client, fleet, truth);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task ProvisionAsync(HttpClient client, GeneratedFleet fleet)
    {
        using var slow = await client.PutAsJsonAsync($"/api/v1/tags/{GeneratedFleet.SlowTag}/settings", new TagSettingsBody(120, 60));
        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        foreach (var sensor in fleet.Sensors.Where(s => s.Provisioned))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/sensors/{sensor.Id}/register", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/sensors/{sensor.Id}/settings", new SensorSettingsBody(null, null, [.. sensor.Tags]))).StatusCode);
        }
    }

    /// <summary>Beats (one batch per instant) and retirements, in time order.</summary>
    private static IEnumerable<(DateTimeOffset At, string Kind, List<BatchItem> Items)> Timeline(GeneratedFleet fleet) =>
        fleet.Schedule()
            .Select(s => (s.At, Kind: "beats", Items: s.Beats.Select(b => new BatchItem(b.Sensor.Id, b.Beat.Sequence, Status: b.Beat.Fault ? "fault" : "ok")).ToList()))
            .Concat(fleet.Sensors.Where(s => s.RetiredAt is not null).Select(s => (At: s.RetiredAt!.Value, Kind: "retire", Items: new List<BatchItem> { new(s.Id) })))
            .OrderBy(e => e.At);

    private static async Task SendAsync(HttpClient client, string kind, List<BatchItem> items)
    {
        if (kind == "retire")
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/sensors/{items[0].SensorId}/retire", null)).StatusCode);
            return;
        }

        using var response = await client.PostAsJsonAsync("/api/v1/heartbeats", items);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertQueriesAsync(HttpClient client, GeneratedFleet fleet, AnalyticsTruth truth)
    {
        var asOf = fleet.End;
        var since = GeneratedFleet.T0 + TimeSpan.FromMinutes(47);
        var until = fleet.End - TimeSpan.FromMinutes(13);
        var window = $"since={Iso(since)}&until={Iso(until)}";

        // No asOf: "now" is the server's (virtual) clock, not the database's.
        var silent = await RunAsync(client, "silent_share", "");
        Assert.Equal(truth.SilentShare(asOf), silent.Select(r => (r.S("tag"), (int)r.D("sensors"), (int)r.D("silent"))));

        var intervals = await RunAsync(client, "intervals", window);
        var intervalTruth = truth.Intervals(since, until);
        Assert.Equal(intervalTruth.Count, intervals.Count);
        foreach (var row in intervals)
        {
            var values = intervalTruth[(row.S("scope")!, row.S("key"))];
            var (mean, median, p95) = AnalyticsTruth.Stats(values);
            Assert.Equal(values.Count, (int)row.D("intervals"));
            Assert.Equal(mean, row.D("mean_seconds"), 6);
            Assert.Equal(median, row.D("median_seconds"), 6);
            Assert.Equal(p95, row.D("p95_seconds"), 6);
        }

        var lifespan = await RunAsync(client, "lifespan", $"asOf={Iso(asOf)}");
        var (curve, naiveMean, sensors) = truth.Lifespan(asOf);
        Assert.NotEmpty(curve);
        Assert.Equal(curve.Count, lifespan.Count);
        for (var i = 0; i < curve.Count; i++)
        {
            Assert.Equal(curve[i].Days, lifespan[i].D("days"), 6);
            Assert.Equal((curve[i].AtRisk, curve[i].Ended), ((int)lifespan[i].D("at_risk"), (int)lifespan[i].D("ended")));
            Assert.Equal(curve[i].Survival, lifespan[i].D("survival"), 9);
        }

        Assert.Equal(naiveMean!.Value, lifespan[0].D("naive_mean_days"), 6);
        Assert.Equal(sensors, (int)lifespan[0].D("sensors"));

        var availability = await RunAsync(client, "availability", window);
        var availabilityTruth = truth.Availability(since, until);
        Assert.Equal(availabilityTruth.Keys.Order(StringComparer.Ordinal), availability.Select(r => r.S("sensor_id")!).Order(StringComparer.Ordinal));
        foreach (var row in availability)
        {
            var (healthy, observed) = availabilityTruth[row.S("sensor_id")!];
            Assert.Equal(healthy, row.D("healthy_seconds"), 3);
            Assert.Equal(observed, row.D("observed_seconds"), 3);
            Assert.Equal(Math.Round(100 * healthy / observed, 4), row.D("availability_pct"), 4);
        }

        var episodes = await RunAsync(client, "downtime_episodes", $"{window}&asOf={Iso(asOf)}");
        var episodeTruth = truth.Episodes(since, until);
        Assert.NotEmpty(episodeTruth);
        Assert.Equal(
            episodeTruth.Select(e => (e.SensorId, e.Start, e.End, ((e.End ?? asOf) - e.Start).TotalSeconds)),
            episodes.Select(r => (r.S("sensor_id")!, DateTimeOffset.Parse(r.S("started_at")!, System.Globalization.CultureInfo.InvariantCulture),
                r.S("ended_at") is { } end ? DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null, r.D("length_seconds"))));

        var flapping = await RunAsync(client, "flapping", $"{window}&limit=10000");
        Assert.Equal(truth.Flapping(since, until), flapping.Select(r => (r.S("sensor_id")!, (int)r.D("transitions"), (int)r.D("recoveries"))));

        var lost = await RunAsync(client, "lost_beats", window);
        var lostTruth = truth.LostBeats(since, until);
        Assert.Contains(lostTruth, l => l.Lost > 0);
        Assert.Equal(lostTruth.Select(l => (l.SensorId, l.Received, l.Lost)), lost.Select(r => (r.S("sensor_id"), (int)r.D("received"), (long)r.D("lost"))));
        foreach (var row in lost)
        {
            var received = row.D("received");
            var missing = row.D("lost");
            Assert.Equal(Math.Round(missing / (received + missing), 6), row.D("lost_rate"), 6);
        }
    }

    private static async Task<List<JsonObject>> RunAsync(HttpClient client, string name, string query)
    {
        using var response = await client.GetAsync($"/api/v1/analytics/{name}?{query}");
        Assert.True(response.IsSuccessStatusCode, $"{name}: {await response.Content.ReadAsStringAsync()}");
        var result = (await response.Content.ReadFromJsonAsync<AnalyticsResult>())!;
        return [.. result.Rows.Select(r => r!.AsObject())];
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static string Describe(Transition t) => $"{t.SensorId} {t.From}->{t.To} {t.At:O}";

    private async Task<List<string>> StoredTransitionsAsync()
    {
        var rows = new List<string>();
        await using var command = db.DataSource.CreateCommand(
            "SELECT sensor_id, from_status, to_status, at FROM state_changes WHERE sensor_id LIKE 'truth-%' ORDER BY sensor_id, at, id");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Describe(new Transition(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3))));
        }

        return rows;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> TablesAsync()
    {
        await using var command = db.DataSource.CreateCommand(ReadModelTables.Snapshot);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
