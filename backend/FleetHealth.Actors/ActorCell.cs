namespace FleetHealth.Actors;

/// <summary>
/// The runtime side of one actor: its reference, its mailbox, its current instance, its timers.
/// Split by concern: Mailbox (queueing and scheduling), Invoke (dispatch and stash), Lifecycle
/// (start, stop, passivation, supervision) and Timers.
/// </summary>
/// <remarks>
/// Memory matters (a million resident actors): an idle cell holds no queue, no task, no lock object,
/// only a few references. The mailbox is a lock-free stack of <see cref="Envelope"/>s that the
/// consumer takes whole and reverses, and the cell itself is the thread-pool work item.
/// </remarks>
internal sealed partial class ActorCell : IActorRef
{
    private readonly Props _props;
    private ActorBase? _actor;
    private IActorRef? _sender;

    public ActorCell(ActorSystem system, Props props, string id)
    {
        System = system;
        _props = props;
        Id = id;
    }

    public string Id { get; }

    public ActorSystem System { get; }

    public Props Props => _props;

    public IActorRef CurrentSender => _sender ?? ActorRefs.Nobody;

    public IActorRef? CurrentSenderOrNull => _sender;

    /// <summary>The current instance (null before start and after stop); for tests and diagnostics.</summary>
    internal ActorBase? Actor => _actor;

    public override string ToString() => $"actor '{Id}'";
}
