using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class LifespanQueryTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Lifespan_is_a_kaplan_meier_curve_with_live_sensors_censored()
    {
        // (days lived, ended?): dead at last heartbeat, retired at retirement, alive = censored at as-of.
        (double Days, string Status)[] lives =
        [
            (2, "dead"), (3, "alive"), (5, "retired"), (5, "dead"), (8, "alive"), (10, "dead"), (12, "alive"), (15, "dead"), (20, "alive"),
        ];
        for (var i = 0; i < lives.Length; i++)
        {
            var (days, status) = lives[i];
            var first = AsOf.AddDays(-days - (status == "alive" ? 0 : 1));
            var end = first.AddDays(days);
            await ReadModel.SensorAsync(db.DataSource, $"life-{i}", status == "alive" ? "healthy" : status, first,
                status == "retired" ? end.AddDays(-1) : end, retiredAt: status == "retired" ? end : null);
        }

        var rows = await RunAsync(db, "lifespan");

        // The truth, computed the textbook way.
        var survival = 1.0;
        var truth = new List<(double Days, int AtRisk, int Ended, double Survival)>();
        foreach (var group in lives.GroupBy(l => l.Days).OrderBy(g => g.Key))
        {
            var atRisk = lives.Count(l => l.Days >= group.Key);
            var ended = group.Count(l => l.Status != "alive");
            if (ended == 0)
            {
                continue;
            }

            survival *= 1 - ((double)ended / atRisk);
            truth.Add((group.Key, atRisk, ended, survival));
        }

        Assert.Equal(truth.Count, rows.Count);
        for (var i = 0; i < truth.Count; i++)
        {
            Assert.Equal(truth[i].Days, rows[i].D("days"), 6);
            Assert.Equal(truth[i].AtRisk, (int)rows[i].D("at_risk"));
            Assert.Equal(truth[i].Ended, (int)rows[i].D("ended"));
            Assert.Equal(truth[i].Survival, rows[i].D("survival"), 9);
        }

        Assert.Equal(truth.First(t => t.Survival <= 0.5).Days, rows[0].D("median_days"), 6);
        Assert.Equal(lives.Where(l => l.Status != "alive").Average(l => l.Days), rows[0].D("naive_mean_days"), 6);
        Assert.Equal((lives.Length, 5), ((int)rows[0].D("sensors"), (int)rows[0].D("ended_lives")));
    }
}
