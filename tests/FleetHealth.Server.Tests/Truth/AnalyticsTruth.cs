using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Truth;

/// <summary>The answer of every named query, computed from a <see cref="GeneratedFleet"/>'s plan and its true transitions.</summary>
internal sealed class AnalyticsTruth(GeneratedFleet fleet, IReadOnlyDictionary<string, List<Transition>> transitions)
{
    private static readonly HashSet<string> Down = ["fault", "late", "stale", "dead"];

    private IEnumerable<SensorPlan> Heard => fleet.Sensors.Where(s => s.Beats.Count > 0);

    /// <summary>
    /// silent_share as of <paramref name="asOf"/>: (tag or null, sensors, silent) for sensors known then (provisioned at
    /// T0, or auto-registered by their first beat) and not retired then, silent when their last beat by then (or their
    /// registration) is over 10 minutes old.
    /// </summary>
    public List<(string? Tag, int Sensors, int Silent)> SilentShare(DateTimeOffset asOf)
    {
        var watched = fleet.Sensors.Where(s => KnownAt(s, asOf) && (s.RetiredAt is null || s.RetiredAt > asOf))
            .Select(s => (s.Tags, Silent: (LastBeatBy(s, asOf) ?? GeneratedFleet.T0) < asOf - TimeSpan.FromMinutes(10)))
            .ToList();
        var rows = new List<(string?, int, int)> { (null, watched.Count, watched.Count(w => w.Silent)) };
        rows.AddRange(watched.SelectMany(w => w.Tags.Select(t => (Tag: t, w.Silent))).GroupBy(x => x.Tag)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => ((string?)g.Key, g.Count(), g.Count(x => x.Silent))));
        return rows;
    }

    /// <summary>Whether <paramref name="sensor"/> was known at <paramref name="asOf"/>.</summary>
    public static bool KnownAt(SensorPlan sensor, DateTimeOffset asOf) => sensor.Provisioned || (sensor.Beats.Count > 0 && sensor.Beats[0].At <= asOf);

    /// <summary>The last beat received at or before <paramref name="asOf"/>.</summary>
    public static DateTimeOffset? LastBeatBy(SensorPlan sensor, DateTimeOffset asOf) => sensor.Beats.LastOrDefault(b => b.At <= asOf)?.At;

    /// <summary>intervals: per scope, the seconds between consecutive beats whose later beat is in the window.</summary>
    public Dictionary<(string Scope, string? Key), List<double>> Intervals(DateTimeOffset since, DateTimeOffset until)
    {
        var result = new Dictionary<(string, string?), List<double>>();
        void Add((string, string?) key, double value) => (result.TryGetValue(key, out var list) ? list : result[key] = []).Add(value);
        foreach (var sensor in Heard)
        {
            for (var i = 1; i < sensor.Beats.Count; i++)
            {
                var at = sensor.Beats[i].At;
                if (at >= since && at < until)
                {
                    var seconds = (at - sensor.Beats[i - 1].At).TotalSeconds;
                    Add(("fleet", null), seconds);
                    Add(("sensor", sensor.Id), seconds);
                    foreach (var tag in sensor.Tags)
                    {
                        Add(("tag", tag), seconds);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>lifespan: the Kaplan–Meier curve (days, at risk, ended, survival) and the naive mean of ended lives.</summary>
    public (List<(double Days, int AtRisk, int Ended, double Survival)> Curve, double? NaiveMean, int Sensors) Lifespan(DateTimeOffset asOf)
    {
        var lives = Lives(asOf);
        var survival = 1.0;
        var curve = new List<(double, int, int, double)>();
        foreach (var group in lives.GroupBy(l => Math.Round(l.Days, 9)).OrderBy(g => g.Key))
        {
            var ended = group.Count(l => l.Ended);
            if (ended == 0)
            {
                continue;
            }

            var atRisk = lives.Count(l => Math.Round(l.Days, 9) >= group.Key);
            survival *= 1 - ((double)ended / atRisk);
            curve.Add((group.Key, atRisk, ended, survival));
        }

        var endedLives = lives.Where(l => l.Ended).ToList();
        return (curve, endedLives.Count == 0 ? null : endedLives.Average(l => l.Days), lives.Count);
    }

    /// <summary>The restricted mean (area under the curve) to the horizon: a year, or the longest observed life if shorter.</summary>
    public (double Horizon, double Mean) RestrictedMean(DateTimeOffset asOf)
    {
        var horizon = Math.Min(365, Lives(asOf).Max(l => l.Days));
        var (curve, _, _) = Lifespan(asOf);
        double area = 0, from = 0, survival = 1;
        foreach (var point in curve.Where(c => c.Days <= horizon))
        {
            area += survival * (point.Days - from);
            (from, survival) = (point.Days, point.Survival);
        }

        return (horizon, area + (survival * (horizon - from)));
    }

    private List<(double Days, bool Ended)> Lives(DateTimeOffset asOf) =>
        [.. Heard.Where(s => s.Beats[0].At <= asOf).Select(s =>
        {
            var status = transitions[s.Id].LastOrDefault(t => t.At <= asOf)?.To;
            var end = status == "dead" ? LastBeatBy(s, asOf)!.Value : status == "retired" ? s.RetiredAt!.Value : asOf;
            return (Days: (end - s.Beats[0].At).TotalDays, Ended: status is "dead" or "retired");
        })];

    /// <summary>availability: (healthy seconds, observed seconds) per sensor over the window, for sensors observed in it.</summary>
    public Dictionary<string, (double Healthy, double Observed)> Availability(DateTimeOffset since, DateTimeOffset until)
    {
        var result = new Dictionary<string, (double, double)>();
        foreach (var (id, changes) in transitions)
        {
            double healthy = 0, observed = 0;
            for (var i = 0; i < changes.Count && changes[i].At < until; i++)
            {
                var start = Max(changes[i].At, since);
                var end = i + 1 < changes.Count ? Min(changes[i + 1].At, until) : until;
                if (end > start)
                {
                    var seconds = (end - start).TotalSeconds;
                    healthy += changes[i].To == "healthy" ? seconds : 0;
                    observed += changes[i].To is "registered" or "retired" ? 0 : seconds;
                }
            }

            if (observed > 0)
            {
                result[id] = (healthy, observed);
            }
        }

        return result;
    }

    /// <summary>
    /// downtime_episodes: (sensor, start, end or null) of runs in fault/late/stale/dead that overlap the window, as
    /// known at <paramref name="asOf"/> (default: everything).
    /// </summary>
    public List<(string SensorId, DateTimeOffset Start, DateTimeOffset? End)> Episodes(DateTimeOffset since, DateTimeOffset until, DateTimeOffset? asOf = null)
    {
        var result = new List<(string, DateTimeOffset, DateTimeOffset?)>();
        foreach (var (id, changes) in transitions.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            DateTimeOffset? open = null;
            foreach (var change in changes.Where(c => asOf is null || c.At <= asOf))
            {
                if (Down.Contains(change.To) && open is null)
                {
                    open = change.At;
                }
                else if (!Down.Contains(change.To) && open is { } start)
                {
                    if (start < until && change.At > since)
                    {
                        result.Add((id, start, change.At));
                    }

                    open = null;
                }
            }

            if (open is { } ongoing && ongoing < until)
            {
                result.Add((id, ongoing, null));
            }
        }

        return result;
    }

    /// <summary>flapping: (sensor, transitions, recoveries) in the window, most transitions first.</summary>
    public List<(string SensorId, int Transitions, int Recoveries)> Flapping(DateTimeOffset since, DateTimeOffset until) =>
        [.. transitions.Select(t => (Id: t.Key, In: t.Value.Where(c => c.At >= since && c.At < until).ToList()))
            .Where(x => x.In.Count > 0)
            .Select(x => (x.Id, x.In.Count, x.In.Count(c => c.To == "healthy")))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Id, StringComparer.Ordinal)];

    /// <summary>lost_beats: (sensor or null, received, lost) for beats in the window.</summary>
    public List<(string? SensorId, int Received, long Lost)> LostBeats(DateTimeOffset since, DateTimeOffset until)
    {
        var perSensor = new List<(string?, int, long)>();
        foreach (var sensor in Heard.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            int received = 0;
            long lost = 0;
            for (var i = 0; i < sensor.Beats.Count; i++)
            {
                var beat = sensor.Beats[i];
                if (beat.At >= since && beat.At < until)
                {
                    received++;
                    var previous = i == 0 ? (long?)null : sensor.Beats[i - 1].Sequence;
                    lost += previous is { } p && beat.Sequence > p ? beat.Sequence - p - 1 : 0;
                }
            }

            if (received > 0)
            {
                perSensor.Add((sensor.Id, received, lost));
            }
        }

        return [(null, perSensor.Sum(p => p.Item2), perSensor.Sum(p => p.Item3)), .. perSensor];
    }

    public static (double Mean, double Median, double P95) Stats(List<double> values) =>
        (values.Average(), PercentileCont(values, 0.5), PercentileCont(values, 0.95));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
