using Akka.Actor;
using Akka.Persistence;

namespace FleetHealth.Journal.Tests;

/// <summary>A sensor-like actor: reports when it has recovered, then persists one event on <c>Go</c> and reports the outcome.</summary>
internal sealed class BurstActor : ReceivePersistentActor
{
    private readonly IActorRef _report;

    public BurstActor(string persistenceId, IActorRef report)
    {
        PersistenceId = persistenceId;
        _report = report;
        Recover<RecoveryCompleted>(_ => _report.Tell(Ready.Instance));
        Recover<string>(_ => { });
        Command<Go>(_ => Persist("beat", _ => _report.Tell(new Persisted(PersistenceId))));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, IActorRef report) => Akka.Actor.Props.Create(() => new BurstActor(persistenceId, report));

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        _report.Tell(new Rejected(PersistenceId, cause));

    // Akka stops the actor after a persist failure; the base would also log an error for each of thousands.
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _report.Tell(new Failed(PersistenceId, cause));
        Context.Stop(Self);
    }

    public sealed class Ready
    {
        public static readonly Ready Instance = new();
    }

    public sealed class Go
    {
        public static readonly Go Instance = new();
    }

    public sealed record Persisted(string PersistenceId);

    public sealed record Rejected(string PersistenceId, Exception Cause);

    public sealed record Failed(string PersistenceId, Exception Cause);
}
