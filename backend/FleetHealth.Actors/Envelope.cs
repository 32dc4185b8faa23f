namespace FleetHealth.Actors;

/// <summary>
/// One queued message. It is also the node of the mailbox's linked lists (inbox, batch, stash), so
/// an idle mailbox owns no memory at all.
/// </summary>
internal sealed class Envelope(object message, IActorRef? sender)
{
    public object Message { get; } = message;

    public IActorRef? Sender { get; } = sender;

    public Envelope? Next { get; set; }
}
