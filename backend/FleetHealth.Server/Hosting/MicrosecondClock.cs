namespace FleetHealth.Server.Hosting;

/// <summary>
/// The fleet's clock: <paramref name="inner"/>'s time cut to whole microseconds, PostgreSQL's
/// timestamp precision. Every time stamped on an event (receipts, deadlines, commands) then
/// survives a round trip through the read model unchanged, so an interval computed from a stored
/// last_seen (the projection between batches) equals one computed in memory (within a batch, a
/// rebuild): the read model does not depend on where batches happen to break.
/// </summary>
public sealed class MicrosecondClock(TimeProvider inner) : TimeProvider
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public override DateTimeOffset GetUtcNow()
    {
        var now = inner.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TicksPerMicrosecond));
    }

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
