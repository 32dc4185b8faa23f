using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace FleetHealth.Journal.Tests;

/// <summary>A persistent actor that records strings: events, a snapshot of them, and how it recovered.</summary>
internal sealed class Recorder : ReceivePersistentActor
{
    private readonly List<string> _values = [];
    private long? _snapshotSequenceNr;
    private int _replayedEvents;
    private IActorRef? _snapshotRequester;

    public Recorder(string persistenceId)
    {
        PersistenceId = persistenceId;

        Recover<SnapshotOffer>(offer =>
        {
            _values.AddRange((string[])offer.Snapshot);
            _snapshotSequenceNr = offer.Metadata.SequenceNr;
        });
        Recover<string>(value =>
        {
            _values.Add(value);
            _replayedEvents++;
        });

        Command<Add>(add => Persist<object>(add.Tags.Length == 0 ? add.Value : new Tagged(add.Value, add.Tags), _ =>
        {
            _values.Add(add.Value);
            Sender.Tell(new Added(add.Value, LastSequenceNr));
        }));
        Command<TakeSnapshot>(_ =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(_values.ToArray());
        });
        Command<SaveSnapshotSuccess>(success => _snapshotRequester?.Tell(success));
        Command<SaveSnapshotFailure>(failure => _snapshotRequester?.Tell(failure));
        Command<GetState>(_ => Sender.Tell(new State([.. _values], _snapshotSequenceNr, _replayedEvents)));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new Recorder(persistenceId));

    public sealed record Add(string Value, params string[] Tags);

    public sealed record Added(string Value, long SequenceNr);

    public sealed record TakeSnapshot;

    public sealed record GetState;

    public sealed record State(IReadOnlyList<string> Values, long? SnapshotSequenceNr, int ReplayedEvents);
}
