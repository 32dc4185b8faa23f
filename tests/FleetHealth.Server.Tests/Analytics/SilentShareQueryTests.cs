using FleetHealth.Server.Analytics;
using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class SilentShareQueryTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task The_share_of_sensors_silent_over_ten_minutes_counts_non_retired_sensors_fleet_wide_and_per_tag()
    {
        // 3 heard within 10 minutes, 4 silent longer (one of them never heard since registering), 1 retired and silent.
        (string Id, double MinutesAgo, string[] Tags)[] fleet =
        [
            ("fresh-1", 1, ["north"]), ("fresh-2", 9.9, ["north", "south"]), ("fresh-3", 5, []),
            ("silent-1", 10.1, ["north"]), ("silent-2", 60, ["south"]), ("silent-3", 24 * 60, []),
        ];
        foreach (var (id, minutes, tags) in fleet)
        {
            await ReadModel.SensorAsync(db.DataSource, id, "healthy", AsOf.AddDays(-30), AsOf.AddMinutes(-minutes), tags);
        }

        await ReadModel.SensorAsync(db.DataSource, "never-heard", "registered", null, null, ["south"], registeredAt: AsOf.AddHours(-1));
        await ReadModel.SensorAsync(db.DataSource, "retired-1", "retired", AsOf.AddDays(-30), AsOf.AddDays(-3), ["north"], retiredAt: AsOf.AddDays(-2));

        var rows = await RunAsync(db, "silent_share");

        var fleetRow = rows.Single(r => r.S("tag") is null);
        Assert.Equal((7, 4), ((int)fleetRow.D("sensors"), (int)fleetRow.D("silent")));
        Assert.Equal(4.0 / 7, fleetRow.D("silent_share"), 5);
        var north = rows.Single(r => r.S("tag") == "north");
        Assert.Equal((3, 1), ((int)north.D("sensors"), (int)north.D("silent")));
        var south = rows.Single(r => r.S("tag") == "south");
        Assert.Equal((3, 2), ((int)south.D("sensors"), (int)south.D("silent")));
    }

    [Fact]
    public async Task The_threshold_is_a_parameter()
    {
        await ReadModel.SensorAsync(db.DataSource, "param-1", "healthy", AsOf.AddDays(-1), AsOf.AddMinutes(-3));

        var strict = await RunAsync(db, "silent_share", new AnalyticsParameters(SilentAfter: TimeSpan.FromMinutes(2), AsOf: AsOf));
        var lax = await RunAsync(db, "silent_share", new AnalyticsParameters(SilentAfter: TimeSpan.FromDays(400), AsOf: AsOf));

        Assert.True(strict.Single(r => r.S("tag") is null).D("silent") > lax.Single(r => r.S("tag") is null).D("silent"));
        Assert.Equal(0, lax.Single(r => r.S("tag") is null).D("silent"));
    }
}
