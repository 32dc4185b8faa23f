using FleetHealth.Server.Analytics;
using FleetHealth.Testing;
using static FleetHealth.Server.Tests.Analytics.QueryRun;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class LostBeatQueryTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task The_lost_beat_rate_comes_from_sequence_gaps()
    {
        await db.DataSource.CreateCommand("SELECT fleethealth_ensure_heartbeat_partitions('2026-05-30', 3)").ExecuteNonQueryAsync();
        long[] sequence = [1, 2, 5, 6, 10, 0, 1];
        int[] lost = [0, 0, 2, 0, 3, 0, 0]; // the drop to 0 is a reboot, not a loss
        for (var i = 0; i < sequence.Length; i++)
        {
            await ReadModel.HeartbeatAsync(db.DataSource, "lb-1", AsOf.AddMinutes(-60 + i), null, sequence[i], lost[i]);
        }

        await ReadModel.HeartbeatAsync(db.DataSource, "lb-2", AsOf.AddMinutes(-10), null, sequence: null);

        var rows = await RunAsync(db, "lost_beats", new AnalyticsParameters(Since: AsOf.AddDays(-1), Until: AsOf));

        var sensor = rows.Single(r => r.S("sensor_id") == "lb-1");
        Assert.Equal((7, 5), ((int)sensor.D("received"), (int)sensor.D("lost")));
        Assert.Equal(5.0 / 12, sensor.D("lost_rate"), 5);
        Assert.DoesNotContain(rows, r => r.S("sensor_id") == "lb-2");
    }
}
