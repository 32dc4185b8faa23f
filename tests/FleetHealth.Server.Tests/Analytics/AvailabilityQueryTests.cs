using FleetHealth.Server.Analytics;
using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class AvailabilityQueryTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private static readonly AnalyticsParameters Window = new(AsOf: AsOf, Since: AsOf.AddHours(-12), Until: AsOf);

    [Fact]
    public async Task Availability_and_downtime_episodes_follow_the_state_history()
    {
        await ReadModel.TransitionsAsync(db.DataSource, "av-1",
            ("healthy", AsOf.AddHours(-24)), ("late", AsOf.AddHours(-10)), ("stale", AsOf.AddHours(-9.5)), ("healthy", AsOf.AddHours(-8)),
            ("fault", AsOf.AddHours(-2)), ("healthy", AsOf.AddHours(-1)));
        await ReadModel.TransitionsAsync(db.DataSource, "av-2", ("healthy", AsOf.AddHours(-5)), ("late", AsOf.AddMinutes(-30)));
        await ReadModel.TransitionsAsync(db.DataSource, "av-3", ("healthy", AsOf.AddHours(-30)), ("retired", AsOf.AddHours(-6)));

        var availability = await RunAsync(db, "availability", Window);
        var episodes = await RunAsync(db, "downtime_episodes", Window);

        var av1 = availability.Single(r => r.S("sensor_id") == "av-1");
        Assert.Equal(9 * 3600, av1.D("healthy_seconds"), 3);
        Assert.Equal(12 * 3600, av1.D("observed_seconds"), 3);
        Assert.Equal(75, av1.D("availability_pct"), 3);
        var av2 = availability.Single(r => r.S("sensor_id") == "av-2");
        Assert.Equal(100 * 4.5 / 5, av2.D("availability_pct"), 3);
        var av3 = availability.Single(r => r.S("sensor_id") == "av-3");
        Assert.Equal((6 * 3600, 100), (av3.D("observed_seconds"), av3.D("availability_pct")));

        Assert.Equal(
            [("av-1", 2 * 3600.0, false), ("av-1", 3600.0, false), ("av-2", 1800.0, true)],
            episodes.Where(e => e.S("sensor_id")!.StartsWith("av-", StringComparison.Ordinal)).Select(e => (e.S("sensor_id")!, e.D("length_seconds"), e.S("ongoing") == "true")));
    }

    [Fact]
    public async Task Flapping_sensors_are_ranked_by_transitions_in_the_window()
    {
        var changes = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? "late" : "healthy", AsOf.AddHours(-11).AddMinutes(i * 10))).ToArray();
        await ReadModel.TransitionsAsync(db.DataSource, "flap-1", [("healthy", AsOf.AddHours(-20)), .. changes]);

        var rows = await RunAsync(db, "flapping", Window with { Limit = 1 });

        var top = Assert.Single(rows);
        Assert.Equal(("flap-1", 8, 4), (top.S("sensor_id"), (int)top.D("transitions"), (int)top.D("recoveries")));
    }
}
