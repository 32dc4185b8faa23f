namespace FleetHealth.Actors;

/// <summary>Runtime-internal messages: handled by the cell, never shown to actor code.</summary>
internal abstract class SystemMessage
{
}

/// <summary>First message of every actor: creates the instance on the actor's own turn.</summary>
internal sealed class Create : SystemMessage
{
    public static readonly Create Instance = new();
}

/// <summary>Graceful stop: processed in mailbox order, deferred while a persist or recovery is in flight.</summary>
internal sealed class Stop : SystemMessage
{
    public static readonly Stop Instance = new();
}

/// <summary>Idle stop requested by the passivation sweep; ignored if the actor got busy meanwhile.</summary>
internal sealed class Passivate : SystemMessage
{
    public static readonly Passivate Instance = new();
}

/// <summary>Async work started by an actor instance finished; delivered only to that same incarnation.</summary>
internal abstract class AsyncResult(ActorBase owner) : SystemMessage
{
    public ActorBase Owner { get; } = owner;

    public abstract void Apply();
}
