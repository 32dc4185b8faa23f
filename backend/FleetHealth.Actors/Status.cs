namespace FleetHealth.Actors;

/// <summary>Replies with a conventional meaning, as in Akka.NET.</summary>
public static class Status
{
    /// <summary>A reply that says the request failed: an <see cref="ActorRefExtensions.Ask(IActorRef, object, TimeSpan, CancellationToken)"/> receiving it throws <see cref="Cause"/>.</summary>
    /// <param name="Cause">Why the request failed.</param>
    public sealed record Failure(Exception Cause);
}
