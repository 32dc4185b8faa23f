namespace FleetHealth.Coordination;

/// <summary>
/// Until when the lease is trusted, on this process's monotonic clock (never the wall clock);
/// written by the lease's actor, read lock-free by <see cref="PostgresLease.CheckLease"/>.
/// </summary>
internal sealed class PostgresLeaseState(TimeProvider clock)
{
    private long _trustedUntil = long.MinValue;

    public long Frequency => clock.TimestampFrequency;

    public bool IsTrusted => Now() < Interlocked.Read(ref _trustedUntil);

    public long Now() => clock.GetTimestamp();

    public TimeSpan TrustedRemaining()
    {
        var until = Interlocked.Read(ref _trustedUntil);
        var now = Now();
        return until <= now ? TimeSpan.Zero : TimeSpan.FromSeconds((until - now) / (double)Frequency);
    }

    public void TrustUntil(long timestamp) => Interlocked.Exchange(ref _trustedUntil, timestamp);

    public void Revoke() => Interlocked.Exchange(ref _trustedUntil, long.MinValue);
}
