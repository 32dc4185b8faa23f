namespace FleetHealth.Domain.Liveness;

/// <summary>
/// Running mean and variance of the intervals between consecutive heartbeats (Welford's
/// algorithm: one pass, numerically stable, constant memory).
/// </summary>
public readonly record struct IntervalStats(long Count, double MeanSeconds, double M2)
{
    public double VarianceSeconds => Count > 1 ? M2 / (Count - 1) : 0;

    public double StdDevSeconds => Math.Sqrt(VarianceSeconds);

    public IntervalStats Add(double x)
    {
        var count = Count + 1;
        var delta = x - MeanSeconds;
        var mean = MeanSeconds + (delta / count);
        return new IntervalStats(count, mean, M2 + (delta * (x - mean)));
    }
}
