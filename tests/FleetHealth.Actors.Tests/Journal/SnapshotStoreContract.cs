using System.Text;
using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Journal;

/// <summary>The contract every snapshot store keeps; one subclass per implementation.</summary>
public abstract class SnapshotStoreContract
{
    protected abstract ISnapshotStore Store { get; }

    private static string NewId() => $"pid-{Guid.NewGuid():N}";

    private static SnapshotRecord Snapshot(string persistenceId, long sequenceNr) =>
        new(persistenceId, sequenceNr, "test.state", Encoding.UTF8.GetBytes($"{{\"at\":{sequenceNr}}}"), DateTimeOffset.UnixEpoch.AddDays(sequenceNr));

    [Fact]
    public async Task The_latest_snapshot_is_the_one_with_the_highest_sequence_number()
    {
        var id = NewId();
        await Store.SaveAsync(Snapshot(id, 7));
        await Store.SaveAsync(Snapshot(id, 3));

        var latest = await Store.LoadLatestAsync(id);

        Assert.NotNull(latest);
        Assert.Equal(7, latest.SequenceNr);
        Assert.Equal("{\"at\":7}", Encoding.UTF8.GetString(latest.Payload));
        Assert.Equal("test.state", latest.Manifest);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(7), latest.Timestamp);
        Assert.Null(await Store.LoadLatestAsync(NewId()));
    }

    [Fact]
    public async Task Loading_many_gives_each_id_its_latest_snapshot_and_leaves_out_ids_without_one()
    {
        var (two, one, none) = (NewId(), NewId(), NewId());
        await Store.SaveAsync(Snapshot(two, 2));
        await Store.SaveAsync(Snapshot(two, 9));
        await Store.SaveAsync(Snapshot(one, 4));

        var latest = await Store.LoadLatestManyAsync([two, one, none, two]);

        Assert.Equal(2, latest.Count);
        Assert.Equal(9, latest[two].SequenceNr);
        Assert.Equal("{\"at\":9}", Encoding.UTF8.GetString(latest[two].Payload));
        Assert.Equal(4, latest[one].SequenceNr);
        Assert.False(latest.ContainsKey(none));
    }

    [Fact]
    public async Task Deleted_snapshots_are_not_loaded_alone_or_with_others()
    {
        var id = NewId();
        await Store.SaveAsync(Snapshot(id, 2));
        await Store.SaveAsync(Snapshot(id, 5));

        await Store.DeleteToAsync(id, 5);

        Assert.Null(await Store.LoadLatestAsync(id));
        Assert.Empty(await Store.LoadLatestManyAsync([id]));
    }
}
