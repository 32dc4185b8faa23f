using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FleetHealth.Server.Analytics;
using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Truth;

/// <summary>
/// A generated fleet driven through the real path on a virtual clock, with a server restart halfway
/// (<see cref="DrivenFleet"/>): the journal must hold every transition the plan implies, each at its
/// true time, and after the projection and a rebuild every named query must give the answer computed
/// from the plan.
/// </summary>
public sealed class TruthThroughServerTests(DrivenFleet driven) : IClassFixture<DrivenFleet>
{
    private readonly GeneratedFleet _fleet = driven.Fleet;
    private readonly IsolatedDatabase _db = driven.Db;

    private Dictionary<string, List<Transition>> Transitions => _fleet.Sensors.ToDictionary(s => s.Id, _fleet.TransitionsOf);

    [Fact]
    public async Task The_journal_holds_every_planned_transition_at_its_true_time_and_every_heartbeat_across_a_restart()
    {
        var journal = new SensorJournal(_db.DataSource);

        Assert.Superset( // the plan covers every rule: deaths, retirements, faults, stale gaps, returns
            new HashSet<string> { "registered->healthy", "healthy->late", "late->stale", "stale->dead", "healthy->retired", "healthy->fault", "fault->healthy", "stale->late", "late->healthy" },
            Transitions.Values.SelectMany(t => t).Select(t => $"{t.From}->{t.To}").ToHashSet());
        Assert.Equal(Ordered(Transitions.Values.SelectMany(t => t)), (await journal.TransitionsAsync("truth-")).Select(Describe));
        Assert.Equal(_fleet.Sensors.Sum(s => s.Beats.Count), await journal.HeartbeatsAsync("truth-"));
    }

    [Fact]
    public async Task Every_named_query_answers_the_truth_of_a_fleet_driven_through_the_server_across_a_restart_and_a_rebuild()
    {
        var server = driven.Server;
        await server.CaughtUpAsync(_db.DataSource);
        var transitions = Transitions;
        var truth = new AnalyticsTruth(_fleet, transitions);

        Assert.Equal(Ordered(transitions.Values.SelectMany(t => t)), await StoredTransitionsAsync());
        Assert.Equal(_fleet.Sensors.Sum(s => s.Beats.Count), await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'truth-%'"));
        Assert.Equal(_fleet.Sensors.Sum(s => s.Beats.Count), await ScalarAsync("SELECT sum(heartbeat_count)::bigint FROM sensors WHERE sensor_id LIKE 'truth-%'"));
        await AssertQueriesAsync(server.Client, _fleet, truth);

        var before = await TablesAsync();
        var services = server.Services;
        await services.GetRequiredService<ReadModelWriter>().RebuildAsync(
            "read-model", services.GetRequiredService<IRebuildSource>(), 500, TimeSpan.FromHours(1),
            services.GetRequiredService<HeartbeatRetention>().KeptFrom(), CancellationToken.None);
        Assert.Equal(before, await TablesAsync());
        await AssertQueriesAsync(server.Client, _fleet, truth);
    }

    [Fact]
    public async Task Every_query_that_takes_asOf_answers_as_of_that_moment_from_the_stored_history()
    {
        var server = driven.Server;
        await server.CaughtUpAsync(_db.DataSource);
        var truth = new AnalyticsTruth(_fleet, Transitions);
        var t0 = GeneratedFleet.T0;
        var ten = TimeSpan.FromMinutes(10);
        var inAGap = _fleet.Sensors.SelectMany(s => s.Beats.Zip(s.Beats.Skip(1))).Where(p => p.Item2.At - p.Item1.At > ten + TimeSpan.FromMinutes(1.5))
            .Select(p => p.Item1.At + ten + TimeSpan.FromSeconds(77)).Order().First();
        DateTimeOffset[] moments = [t0.AddSeconds(210), t0.AddMinutes(25), t0.AddMinutes(61), t0.AddSeconds((97 * 60) + 13), inAGap, t0.AddMinutes(150), _fleet.End.AddMinutes(-2)];

        // The moments test history, not today's rows: at some of them a sensor was not yet known, one was silent
        // but has been heard since, and fewer lives had ended than have now.
        Assert.Contains(moments, m => _fleet.Sensors.Any(s => !AnalyticsTruth.KnownAt(s, m)));
        Assert.Contains(moments, m => _fleet.Sensors.Any(s => AnalyticsTruth.KnownAt(s, m) && (AnalyticsTruth.LastBeatBy(s, m) ?? t0) < m - ten && s.Beats.Any(b => b.At > m)));
        var endedNow = truth.Lifespan(_fleet.End).Curve.Sum(c => c.Ended);
        Assert.Contains(moments, m => truth.Lifespan(m).Curve.Sum(c => c.Ended) is var ended && ended > 0 && ended < endedNow);

        foreach (var asOf in moments)
        {
            var at = $"asOf={Iso(asOf)}";
            var silent = await RunAsync(server.Client, "silent_share", at);
            Assert.Equal(truth.SilentShare(asOf), silent.Select(r => (r.S("tag"), (int)r.D("sensors"), (int)r.D("silent"))));

            await AssertLifespanAsync(server.Client, truth, asOf);

            var since = asOf.AddDays(-1);
            var episodes = await RunAsync(server.Client, "downtime_episodes", at);
            Assert.Equal(
                truth.Episodes(since, asOf, asOf).Select(e => (e.SensorId, e.Start, e.End, ((e.End ?? asOf) - e.Start).TotalSeconds)),
                episodes.Select(r => (r.S("sensor_id")!, Time(r.S("started_at")!), r.S("ended_at") is { } end ? Time(end) : (DateTimeOffset?)null, r.D("length_seconds"))));

            var availability = await RunAsync(server.Client, "availability", $"{at}&since={Iso(t0)}");
            var availabilityTruth = truth.Availability(t0, asOf);
            Assert.Equal(availabilityTruth.Keys.Order(StringComparer.Ordinal), availability.Select(r => r.S("sensor_id")!).Order(StringComparer.Ordinal));
            Assert.All(availability, row => Assert.Equal(availabilityTruth[row.S("sensor_id")!].Healthy, row.D("healthy_seconds"), 3));
        }
    }

    [Fact]
    public async Task An_asOf_outside_the_retained_history_or_in_the_future_is_refused_with_the_allowed_range()
    {
        var client = driven.Server.Client;
        var keptFrom = driven.Server.Services.GetRequiredService<HeartbeatRetention>().KeptFrom();
        var oldest = keptFrom + TimeSpan.FromMinutes(10);

        foreach (var asOf in new[] { _fleet.End.AddMinutes(1), oldest.AddSeconds(-1), new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero) })
        {
            foreach (var name in new[] { "silent_share", "lifespan", "downtime_episodes", "availability" })
            {
                using var response = await client.GetAsync($"/api/v1/analytics/{name}?asOf={Iso(asOf)}");
                var message = await Api.ApiAssertions.AssertFieldErrorAsync(response, "asOf");
                Assert.Contains(oldest.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
                Assert.Contains(_fleet.End.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);
            }
        }

        using (var beyond = await client.GetAsync($"/api/v1/analytics/flapping?asOf={Iso(_fleet.End.AddHours(-1))}&until={Iso(_fleet.End)}"))
        {
            await Api.ApiAssertions.AssertFieldErrorAsync(beyond, "until");
        }

        // The edges themselves answer: the oldest moment (before this fleet existed: nobody), and now.
        var first = await RunAsync(client, "silent_share", $"asOf={Iso(oldest)}");
        Assert.Equal(0, first.Single(r => r.S("tag") is null).D("sensors"));
        var now = await RunAsync(client, "silent_share", $"asOf={Iso(_fleet.End)}");
        Assert.Equal(new AnalyticsTruth(_fleet, Transitions).SilentShare(_fleet.End), now.Select(r => (r.S("tag"), (int)r.D("sensors"), (int)r.D("silent"))));
    }

    private static async Task AssertLifespanAsync(HttpClient client, AnalyticsTruth truth, DateTimeOffset asOf)
    {
        var rows = (await RunAsync(client, "lifespan", $"asOf={Iso(asOf)}")).Where(r => r.S("tag") is null).ToList();
        var (curve, naiveMean, sensors) = truth.Lifespan(asOf);
        Assert.Equal(sensors, (int)rows[0].D("sensors"));
        Assert.Equal(curve.Sum(c => c.Ended), (int)rows[0].D("ended_lives"));
        if (curve.Count == 0)
        {
            Assert.Null(Assert.Single(rows)["days"]);
            return;
        }

        Assert.Equal(curve.Count, rows.Count);
        for (var i = 0; i < curve.Count; i++)
        {
            Assert.Equal(curve[i].Days, rows[i].D("days"), 6);
            Assert.Equal((curve[i].AtRisk, curve[i].Ended), ((int)rows[i].D("at_risk"), (int)rows[i].D("ended")));
            Assert.Equal(curve[i].Survival, rows[i].D("survival"), 9);
        }

        Assert.Equal(naiveMean!.Value, rows[0].D("naive_mean_days"), 6);
        var (horizon, mean) = truth.RestrictedMean(asOf);
        Assert.Equal(horizon, rows[0].D("horizon_days"), 6);
        Assert.Equal(mean, rows[0].D("restricted_mean_days"), 6);
        Assert.InRange(mean, rows[0].D("restricted_mean_low_days"), rows[0].D("restricted_mean_high_days"));
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> Ordered(IEnumerable<Transition> transitions) =>
        transitions.OrderBy(t => t.SensorId, StringComparer.Ordinal).ThenBy(t => t.At).Select(Describe);

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

        await AssertLifespanAsync(client, truth, asOf);

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
        await using var command = _db.DataSource.CreateCommand(
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
        await using var command = _db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> TablesAsync()
    {
        await using var command = _db.DataSource.CreateCommand(ReadModelTables.Snapshot);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
