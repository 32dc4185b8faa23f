namespace FleetHealth.Actors;

/// <summary>
/// The address of an actor: the only way to talk to it. Messages told through one reference by one
/// sender arrive in the order they were told; there is no ordering between different senders.
/// </summary>
public interface IActorRef
{
    /// <summary>The actor's id in its system's registry (for example a sensor id).</summary>
    string Id { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/> and returns at once (fire and forget). Never blocks and never
    /// throws for a stopped actor: such messages become dead letters (an <see cref="ActorRefExtensions.Ask(IActorRef, object, TimeSpan, CancellationToken)"/> waiting on
    /// them fails with <see cref="ActorNotAvailableException"/>).
    /// </summary>
    /// <param name="message">Any object; treat it as immutable once sent.</param>
    /// <param name="sender">Who the receiver sees as <c>Sender</c>, to reply to; <see langword="null"/> for nobody.</param>
    void Tell(object message, IActorRef? sender = null);
}
