using FleetHealth.Server.Projection;

namespace FleetHealth.Server.Tests.Projection;

public sealed class SensorRowCacheTests
{
    private static readonly DateTimeOffset Stamp = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_committed_row_is_found_with_the_stamp_of_its_commit()
    {
        var cache = new SensorRowCache(10);
        var row = new SensorRow("c-1") { Status = "healthy" };

        cache.Committed([row], Stamp);

        Assert.True(cache.TryGet("c-1", out var found));
        Assert.Same(row, found);
        Assert.False(cache.TryGet("c-2", out _));
        Assert.Equal(Stamp, cache.Stamp);
    }

    [Fact]
    public void The_cache_never_holds_more_rows_than_its_capacity()
    {
        var cache = new SensorRowCache(100);

        for (var i = 0; i < 1000; i++)
        {
            cache.Committed([new SensorRow($"c-{i}")], Stamp);
            Assert.True(cache.Count <= 100, $"{cache.Count} rows after {i + 1}");
        }

        Assert.True(cache.TryGet("c-999", out _));
        Assert.False(cache.TryGet("c-0", out _));
    }

    [Fact]
    public void A_row_in_use_outlives_rows_nobody_asked_for()
    {
        var cache = new SensorRowCache(100);
        cache.Committed([new SensorRow("hot")], Stamp);

        for (var i = 0; i < 1000; i++)
        {
            cache.Committed([new SensorRow($"cold-{i}")], Stamp);
            Assert.True(cache.TryGet("hot", out _), $"lost after {i + 1} other rows");
        }
    }

    [Fact]
    public void A_newer_row_replaces_the_one_held()
    {
        var cache = new SensorRowCache(4);
        cache.Committed([new SensorRow("c-1") { Status = "healthy" }], Stamp);

        cache.Committed([new SensorRow("c-1") { Status = "late" }], Stamp.AddSeconds(1));

        Assert.True(cache.TryGet("c-1", out var row));
        Assert.Equal("late", row.Status);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void A_cache_of_capacity_zero_keeps_nothing_but_the_stamp()
    {
        var cache = new SensorRowCache(0);

        cache.Committed([new SensorRow("c-1")], Stamp);

        Assert.False(cache.TryGet("c-1", out _));
        Assert.Equal(Stamp, cache.Stamp);
    }
}
