namespace FleetHealth.Domain.Notifications;

/// <summary>
/// When a failed delivery is tried again: exponential in the number of failed rounds, capped,
/// with "equal jitter" (half fixed, half random) so that many deliveries failing together do not
/// come back together.
/// </summary>
public static class DeliveryBackoff
{
    /// <summary>The wait after failed round <paramref name="round"/> (1 for the first), <paramref name="random"/> in [0, 1).</summary>
    public static TimeSpan Delay(int round, TimeSpan baseDelay, TimeSpan cap, double random)
    {
        var exponent = Math.Clamp(round - 1, 0, 30);
        var ticks = Math.Min(cap.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)((ticks / 2) + (ticks / 2 * Math.Clamp(random, 0, 1))));
    }
}
