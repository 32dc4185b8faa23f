using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Overview;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using Npgsql;

namespace FleetHealth.Server.Tests.Overview;

/// <summary>
/// The chart's counts against the truth: a fleet whose transitions are placed at known times (some
/// exactly on bucket ends, some after the chart's end, some sensors known only partway), and at each
/// bucket end the count per state computed the plain way: each known sensor's last transition at or
/// before that moment.
/// </summary>
public sealed class StatesOverTimeTests(PlannedTransitionsFactory factory) : IClassFixture<PlannedTransitionsFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    [Theory]
    [InlineData("24h", 900, 96)]
    [InlineData("7d", 3600, 168)]
    public async Task Every_bucket_counts_each_known_sensor_in_the_state_of_its_last_transition_at_or_before_the_bucket_end(string window, double stepSeconds, int buckets)
    {
        var (until, sensors) = await factory.PlanAsync();
        var answer = (await _client.GetFromJsonAsync<StatesOverTime>($"/api/v1/fleet/states-over-time?window={window}&until={Uri.EscapeDataString(until.ToString("O"))}"))!;

        Assert.Equal((window, stepSeconds, buckets, until), (answer.Window, answer.StepSeconds, answer.Buckets.Count, answer.Until));
        var ends = Enumerable.Range(0, buckets).Select(k => until.AddSeconds(-stepSeconds * (buckets - 1 - k))).ToList();
        Assert.Equal(ends, answer.Buckets.Select(b => b.At));
        for (var k = 0; k < buckets; k++)
        {
            var truth = Truth(sensors, ends[k]);
            var counted = answer.Buckets[k].Counts.Where(c => c.Value != 0).ToDictionary();
            Assert.True(truth.OrderBy(c => c.Key).SequenceEqual(counted.OrderBy(c => c.Key)),
                $"{window} bucket {k} ending {ends[k]:O}: expected {Show(truth)}, got {Show(counted)}");
        }

        // The fixture is a real test of the walk: the fleet changed during the chart, and transitions sit exactly on bucket ends and after the chart's end.
        Assert.NotEqual(Truth(sensors, ends[0]), Truth(sensors, ends[^1]));
        Assert.Contains(sensors, s => s.Changes.Any(c => ends.Contains(c.At)));
        Assert.Contains(sensors, s => s.Changes.Any(c => c.At > until));
        Assert.Contains(sensors, s => (s.RegisteredAt ?? s.FirstSeen) > ends[0] && (s.RegisteredAt ?? s.FirstSeen) <= until);
    }

    [Fact]
    public async Task Without_until_the_chart_ends_now_and_names_every_state()
    {
        var (_, sensors) = await factory.PlanAsync();
        var before = DateTimeOffset.UtcNow;
        var answer = (await _client.GetFromJsonAsync<StatesOverTime>("/api/v1/fleet/states-over-time"))!;

        Assert.Equal("24h", answer.Window);
        Assert.InRange(answer.Until, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.All(answer.Buckets, b => Assert.Equal(answer.States.Order(), b.Counts.Keys.Order()));
        Assert.Equal(sensors.Count, answer.Buckets[^1].Counts.Values.Sum());
    }

    [Theory]
    [InlineData("window=30d", "window")]
    [InlineData("window=", "window")]
    [InlineData("until=yesterday", "until")]
    [InlineData("until=2999-01-01T00:00:00Z", "until")]
    [InlineData("until=1999-12-31T00:00:00Z", "until")]
    public async Task A_bad_window_or_end_is_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await _client.GetAsync($"/api/v1/fleet/states-over-time?{query}");

        await ApiAssertions.AssertFieldErrorAsync(response, field);
        using var after = await _client.GetAsync("/api/v1/fleet/states-over-time");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static Dictionary<string, long> Truth(IReadOnlyList<PlannedSensor> sensors, DateTimeOffset at) => sensors
        .Where(s => (s.RegisteredAt ?? s.FirstSeen) <= at)
        .Select(s => s.Changes.Where(c => c.At <= at).Select(c => c.To).LastOrDefault() ?? "registered")
        .GroupBy(state => state)
        .ToDictionary(g => g.Key, g => (long)g.Count());

    private static string Show(Dictionary<string, long> counts) => string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));

}

/// <summary>The server over a fleet whose transitions the plan places (seeded once, on first use).</summary>
public sealed class PlannedTransitionsFactory : FleetHealthFactory
{
    private static readonly string[] Path = ["healthy", "late", "stale", "dead", "healthy", "fault", "healthy", "late", "healthy", "retired"];

    // The chart ends a day ago (a whole second), so that everything the plan places is history.
    private readonly DateTimeOffset _until = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AddDays(-1);

    private readonly List<PlannedSensor> _sensors = [];

    private readonly Lazy<Task<TimelinePlan>> _plan;

    public PlannedTransitionsFactory() => _plan = new(SeedAsync);

    public Task<TimelinePlan> PlanAsync() => _plan.Value;

    private async Task<TimelinePlan> SeedAsync()
    {
        var random = new Random(18);
        for (var i = 0; i < 60; i++)
        {
            // Known from up to 8 days before the end to 10 hours after it (not yet known for part of the chart).
            var knownFrom = _until.AddMinutes(-random.Next(8 * 24 * 60)).AddMinutes(i % 9 == 0 ? 600 : 0).AddMilliseconds(random.Next(1000));
            var provisioned = i % 3 == 0;
            var changes = new List<(string From, string To, DateTimeOffset At)>();
            var at = provisioned ? knownFrom.AddMinutes(random.Next(1, 300)) : knownFrom;
            var from = "registered";
            foreach (var to in Path.Take(random.Next(0, Path.Length + 1)))
            {
                changes.Add((from, to, at));
                from = to;
                at = random.Next(4) == 0
                    ? BucketEndAfter(at, TimeSpan.FromMinutes(15)) // exactly on a 24 h bucket end
                    : at.AddMinutes(random.Next(1, 20 * 60)).AddMilliseconds(random.Next(1000));
            }

            _sensors.Add(new PlannedSensor($"sot-{i:D2}", provisioned ? knownFrom : null, provisioned ? null : knownFrom, changes));
        }

        await using var batch = DataSource.CreateBatch();
        foreach (var s in _sensors)
        {
            var status = s.Changes.Count == 0 ? "registered" : s.Changes[^1].To;
            batch.BatchCommands.Add(Command(
                "INSERT INTO sensors (sensor_id, status, status_since, registered_at, first_seen, last_seen) VALUES ($1, $2, $3, $4, $5, $5)",
                s.Id, status, s.Changes.Count == 0 ? s.RegisteredAt : s.Changes[^1].At, s.RegisteredAt, s.FirstSeen ?? (s.Changes.Count > 0 ? s.Changes[0].At : null)));
            foreach (var (from, to, at) in s.Changes)
            {
                batch.BatchCommands.Add(Command("INSERT INTO state_changes (sensor_id, from_status, to_status, at) VALUES ($1, $2, $3, $4)", s.Id, from, to, at));
            }
        }

        await batch.ExecuteNonQueryAsync();
        return new TimelinePlan(_until, _sensors);
    }


    /// <summary>The first 15-minute bucket end of the chart strictly after <paramref name="at"/> (ends are whole quarters from the chart's end).</summary>
    private DateTimeOffset BucketEndAfter(DateTimeOffset at, TimeSpan step)
    {
        var behind = (long)Math.Floor((_until - at) / step);
        var end = _until - (step * behind);
        return end > at ? end : end + step;
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                DateTimeOffset t => new NpgsqlParameter<DateTimeOffset> { TypedValue = t.ToUniversalTime() },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

}

public sealed record PlannedSensor(string Id, DateTimeOffset? RegisteredAt, DateTimeOffset? FirstSeen, List<(string From, string To, DateTimeOffset At)> Changes);

public sealed record TimelinePlan(DateTimeOffset Until, IReadOnlyList<PlannedSensor> Sensors);
