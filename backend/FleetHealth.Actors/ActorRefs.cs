namespace FleetHealth.Actors;

/// <summary>Well-known references.</summary>
public static class ActorRefs
{
    /// <summary>A reference that drops everything told to it: the <c>Sender</c> of a message sent without one.</summary>
    public static IActorRef Nobody { get; } = new NobodyRef();

    private sealed class NobodyRef : IActorRef
    {
        public string Id => "nobody";

        public void Tell(object message, IActorRef? sender = null)
        {
        }
    }
}
