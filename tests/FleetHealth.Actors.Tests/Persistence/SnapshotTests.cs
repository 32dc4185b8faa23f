using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Tests.Support;
using FleetHealth.Actors.TestKit;

namespace FleetHealth.Actors.Tests.Persistence;

public sealed class SnapshotTests() : ActorTestKit(new ActorSystemSettings { Serializer = TestSerialization.Create() })
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private async Task AddFive(IActorRef actor)
    {
        for (var i = 1; i <= 5; i++)
        {
            await actor.Ask<Ack>(new Add(i), Wait);
        }

        await AwaitQuiescenceAsync();
    }

    [Fact]
    public async Task A_snapshot_is_taken_every_n_events_and_recovery_starts_from_it()
    {
        var actor = Sys.GetOrCreate("s", Counter.Props(snapshotEvery: 2));
        await AddFive(actor);

        var snapshot = await Sys.Settings.SnapshotStore.LoadLatestAsync("s");
        Assert.Equal(4, snapshot!.SequenceNr);

        await Sys.StopAsync(actor);
        var recovery = CreateTestProbe("recovery");
        Sys.GetOrCreate("s", Counter.Props(recovery, snapshotEvery: 2));

        var offer = await recovery.ExpectMsgAsync<SnapshotOffer>();
        Assert.Equal(new CounterState(10), offer.Snapshot);
        await recovery.ExpectMsgAsync(new Added(5));
        await recovery.ExpectMsgAsync(new Total(15, 5));
    }

    [Fact]
    public async Task Events_behind_a_snapshot_are_deleted_only_when_asked_to()
    {
        var keeping = Sys.GetOrCreate("keep", Counter.Props(snapshotEvery: 2));
        var deleting = Sys.GetOrCreate("delete", Counter.Props(snapshotEvery: 2, deleteOnSnapshot: true));

        await AddFive(keeping);
        await AddFive(deleting);

        Assert.Equal(5, await CountEvents("keep"));
        Assert.Equal(1, await CountEvents("delete"));
        Assert.Equal(5, await Sys.Settings.Journal.ReadHighestSequenceNrAsync("delete"));

        await Sys.StopAsync(deleting);
        Assert.Equal(new Total(15, 5), await Sys.GetOrCreate("delete", Counter.Props()).Ask<Total>(new Get(), Wait));
    }

    private async Task<int> CountEvents(string persistenceId)
    {
        var count = 0;
        await Sys.Settings.Journal.ReplayAsync(persistenceId, 1, long.MaxValue, _ => count++);
        return count;
    }
}
