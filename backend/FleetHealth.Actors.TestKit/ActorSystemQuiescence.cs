namespace FleetHealth.Actors.TestKit;

/// <summary>Quiescence of any <see cref="ActorSystem"/>, for tests that host a whole server around one.</summary>
public static class ActorSystemQuiescence
{
    /// <summary>
    /// Waits (polling, real time) until no actor has queued messages and no journal work is in flight;
    /// false after <paramref name="within"/>.
    /// </summary>
    public static Task<bool> WhenQuiescentAsync(this ActorSystem system, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.WhenQuiescentAsync(within);
    }
}
