using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Support;

public sealed record Add(int Amount);

public sealed record AddTwice(int Amount);

public sealed record Ack(int Total, long SequenceNr);

public sealed record Get;

public sealed record Total(int Value, long SequenceNr);

public sealed record Boom;

/// <summary>A persistent counter: the test subject for Persist, stash, recovery, snapshots and supervision.</summary>
public sealed class Counter(IActorRef? recoveryProbe = null, int snapshotEvery = 0, bool deleteOnSnapshot = false) : PersistentActor
{
    private int _total;

    public static Props Props(IActorRef? recoveryProbe = null, int snapshotEvery = 0, bool deleteOnSnapshot = false) =>
        global::FleetHealth.Actors.Props.Create(() => new Counter(recoveryProbe, snapshotEvery, deleteOnSnapshot));

    protected override int SnapshotEvery => snapshotEvery;

    protected override bool DeleteEventsOnSnapshot => deleteOnSnapshot;

    protected override object? CreateSnapshot() => new CounterState(_total);

    protected override void ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: CounterState state }:
                _total = state.Total;
                recoveryProbe?.Tell(message);
                break;
            case Added added:
                _total += added.Amount;
                recoveryProbe?.Tell(added);
                break;
            case RecoveryCompleted:
                recoveryProbe?.Tell(new Total(_total, LastSequenceNr));
                break;
        }
    }

    protected override void ReceiveCommand(object message)
    {
        switch (message)
        {
            case Add add:
                Persist(new Added(add.Amount), e =>
                {
                    _total += e.Amount;
                    Sender.Tell(new Ack(_total, LastSequenceNr), Self);
                });
                break;
            case AddTwice add:
                PersistAll([new Added(add.Amount), new Added(add.Amount)], e => _total += e.Amount);
                Persist(new Added(0), _ => Sender.Tell(new Ack(_total, LastSequenceNr), Self));
                break;
            case Get:
                Sender.Tell(new Total(_total, LastSequenceNr), Self);
                break;
            case Boom:
                throw new InvalidOperationException("boom");
            default:
                Unhandled(message);
                break;
        }
    }
}
