using FleetHealth.Server.Analytics;
using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class RestrictedMeanQueryTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    // (days lived, ended?), the first five tagged north: the example of LifespanQueryTests.
    private static readonly (double Days, string Status)[] Lives =
    [
        (2, "dead"), (3, "alive"), (5, "retired"), (5, "dead"), (8, "alive"), (10, "dead"), (12, "alive"), (15, "dead"), (20, "alive"),
    ];

    [Fact]
    public async Task The_restricted_mean_is_the_area_under_the_survival_curve_up_to_the_horizon_with_its_interval_per_fleet_and_tag()
    {
        await SeedAsync();

        var rows = await RunAsync(db, "lifespan", new AnalyticsParameters(AsOf: AsOf, HorizonDays: 12));

        // By hand. Fleet: S = 1 to day 2, 8/9 to 5, 8/9 * 5/7 = 40/63 to 10, 40/63 * 3/4 = 10/21 to the horizon 12.
        var fleet = rows.First(r => r.S("tag") is null);
        var area = 2 + (8.0 / 9 * 3) + (40.0 / 63 * 5) + (10.0 / 21 * 2);
        // Var = sum of A(t)^2 d / (n (n - d)), A(t) the area from t to 12: at 2 (n 9, d 1), 5 (n 7, d 2), 10 (n 4, d 1).
        double a2 = area - 2, a5 = a2 - (8.0 / 9 * 3), a10 = 10.0 / 21 * 2;
        var se = Math.Sqrt((a2 * a2 / (9 * 8)) + (a5 * a5 * 2 / (7 * 5)) + (a10 * a10 / (4 * 3)));
        AssertMean(fleet, horizon: 12, mean: area, low: area - (1.959964 * se), high: area + (1.959964 * se));

        // North (lives 2 dead, 3, 5 retired, 5 dead, 8): its longest life is 8, so its horizon is 8.
        // S = 1 to 2, 4/5 to 5, 4/5 * 1/3 = 4/15 to 8; A(2) = 3.2, A(5) = 0.8.
        var north = rows.First(r => r.S("tag") == "north");
        var northSe = Math.Sqrt((3.2 * 3.2 / (5 * 4)) + (0.8 * 0.8 * 2 / (3 * 1)));
        AssertMean(north, horizon: 8, mean: 5.2, low: 5.2 - (1.959964 * northSe), high: Math.Min(8, 5.2 + (1.959964 * northSe)));
        Assert.Equal((5, 3), ((int)north.D("sensors"), (int)north.D("ended_lives")));
        Assert.Equal([2.0, 5.0], rows.Where(r => r.S("tag") == "north").Select(r => r.D("days")));

        // The default horizon is a year, cut to the fleet's longest observed life (20 days).
        var byDefault = (await RunAsync(db, "lifespan")).First(r => r.S("tag") is null);
        AssertMean(byDefault, horizon: 20, mean: 2 + (8.0 / 9 * 3) + (40.0 / 63 * 5) + (10.0 / 21 * 5) + (5.0 / 21 * 5), low: null, high: null);
    }

    private static void AssertMean(System.Text.Json.Nodes.JsonObject row, double horizon, double mean, double? low, double? high)
    {
        Assert.Equal(horizon, row.D("horizon_days"), 9);
        Assert.Equal(mean, row.D("restricted_mean_days"), 6);
        Assert.InRange(row.D("restricted_mean_low_days"), 0, mean);
        Assert.InRange(row.D("restricted_mean_high_days"), mean, horizon);
        if (low is { } l && high is { } h)
        {
            Assert.Equal(l, row.D("restricted_mean_low_days"), 6);
            Assert.Equal(h, row.D("restricted_mean_high_days"), 6);
        }
    }

    private async Task SeedAsync()
    {
        for (var i = 0; i < Lives.Length; i++)
        {
            var (days, status) = Lives[i];
            var first = AsOf.AddDays(-days - (status == "alive" ? 0 : 1));
            var end = first.AddDays(days);
            await ReadModel.SensorAsync(db.DataSource, $"rmst-{i}", status == "alive" ? "healthy" : status, first,
                status == "retired" ? end.AddDays(-1) : end, tags: i < 5 ? ["north"] : [], retiredAt: status == "retired" ? end : null);
        }
    }
}
