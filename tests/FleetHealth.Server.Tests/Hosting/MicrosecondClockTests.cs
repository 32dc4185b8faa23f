using FleetHealth.Testing;
using FleetHealth.Server.Hosting;

namespace FleetHealth.Server.Tests.Hosting;

public sealed class MicrosecondClockTests
{
    [Fact]
    public void The_fleet_clock_keeps_whole_microseconds_as_postgresql_stores_them()
    {
        var inner = new VirtualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_567));

        var now = new MicrosecondClock(inner).GetUtcNow();

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_234_560), now);
        Assert.Equal(TimeSpan.Zero, now.Offset);
    }

    [Fact]
    public void Timers_run_on_the_inner_clock()
    {
        var inner = new VirtualClock();
        var fired = 0;
        using var timer = new MicrosecondClock(inner).CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        inner.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, fired);
    }
}
