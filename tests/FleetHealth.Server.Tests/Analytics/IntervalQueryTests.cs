using FleetHealth.Server.Analytics;
using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class IntervalQueryTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Mean_median_and_p95_of_intervals_match_the_truth_for_fleet_tag_and_sensor()
    {
        await db.DataSource.CreateCommand("SELECT fleethealth_ensure_heartbeat_partitions('2026-05-25', 10)").ExecuteNonQueryAsync();
        var random = new Random(7);
        var intervals = new Dictionary<string, List<double>>();
        string[] ids = ["i-1", "i-2", "i-3"];
        foreach (var id in ids)
        {
            await ReadModel.SensorAsync(db.DataSource, id, "healthy", AsOf.AddDays(-3), AsOf, id == "i-3" ? [] : ["grp"]);
            var at = AsOf.AddHours(-20);
            await ReadModel.HeartbeatAsync(db.DataSource, id, at, null);
            intervals[id] = [];
            for (var i = 0; i < 40; i++)
            {
                var gap = 30 + random.Next(0, 120) + (random.NextDouble() < 0.1 ? 900 : 0);
                at = at.AddSeconds(gap);
                await ReadModel.HeartbeatAsync(db.DataSource, id, at, gap);
                intervals[id].Add(gap);
            }
        }

        // Outside the window: must not count.
        await ReadModel.HeartbeatAsync(db.DataSource, "i-1", AsOf.AddDays(-2), 99999);

        var rows = await RunAsync(db, "intervals", new AnalyticsParameters(Since: AsOf.AddDays(-1), Until: AsOf));

        void Check(string scope, string? key, IEnumerable<double> truth)
        {
            var row = rows.Single(r => r.S("scope") == scope && r.S("key") == key);
            var values = truth.ToList();
            Assert.Equal(values.Count, (int)row.D("intervals"));
            Assert.Equal(values.Average(), row.D("mean_seconds"), 6);
            Assert.Equal(PercentileCont(values, 0.5), row.D("median_seconds"), 6);
            Assert.Equal(PercentileCont(values, 0.95), row.D("p95_seconds"), 6);
        }

        Check("fleet", null, intervals.Values.SelectMany(v => v));
        Check("tag", "grp", intervals["i-1"].Concat(intervals["i-2"]));
        foreach (var id in ids)
        {
            Check("sensor", id, intervals[id]);
        }
    }
}
