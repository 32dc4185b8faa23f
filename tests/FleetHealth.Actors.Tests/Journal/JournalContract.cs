using System.Text;
using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Journal;

/// <summary>The contract every journal keeps; one subclass per implementation.</summary>
public abstract class JournalContract
{
    protected abstract IJournal Journal { get; }

    private static string NewId() => $"pid-{Guid.NewGuid():N}";

    private static PersistentRepr Event(string persistenceId, long sequenceNr, string text = "x", params string[] tags) =>
        new(persistenceId, sequenceNr, "test.text", Encoding.UTF8.GetBytes($"\"{text}-{sequenceNr}\""), tags);

    private static AtomicWrite Write(string persistenceId, long from, int count) =>
        new(Enumerable.Range(0, count).Select(i => Event(persistenceId, from + i)).ToList());

    private async Task<List<PersistentRepr>> ReplayAll(string persistenceId, long from = 1, long to = long.MaxValue)
    {
        var events = new List<PersistentRepr>();
        await Journal.ReplayAsync(persistenceId, from, to, events.Add);
        return events;
    }

    [Fact]
    public async Task Written_events_replay_in_sequence_order_with_their_payload_manifest_and_tags()
    {
        var id = NewId();
        await Journal.WriteAsync(new AtomicWrite([Event(id, 1, "a", "t1", "t2")]));
        await Journal.WriteAsync(new AtomicWrite([Event(id, 2, "b")]));

        var events = await ReplayAll(id);

        Assert.Equal([1L, 2L], events.Select(e => e.SequenceNr));
        Assert.Equal("\"a-1\"", Encoding.UTF8.GetString(events[0].Payload));
        Assert.Equal("test.text", events[0].Manifest);
        Assert.Equal(["t1", "t2"], events[0].Tags);
        Assert.Empty(events[1].Tags);
        Assert.All(events, e => Assert.NotNull(e.WrittenAt));
    }

    [Fact]
    public async Task Replay_returns_only_the_requested_inclusive_range_of_one_stream()
    {
        var id = NewId();
        var other = NewId();
        await Journal.WriteAsync(Write(id, 1, 10));
        await Journal.WriteAsync(Write(other, 1, 3));

        var events = await ReplayAll(id, 3, 6);

        Assert.Equal([3L, 4L, 5L, 6L], events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal(id, e.PersistenceId));
    }

    [Fact]
    public async Task Highest_sequence_number_is_zero_for_an_unknown_stream_and_follows_writes()
    {
        var id = NewId();
        Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync(id));

        await Journal.WriteAsync(Write(id, 1, 4));

        Assert.Equal(4, await Journal.ReadHighestSequenceNrAsync(id));
    }

    [Fact]
    public async Task An_atomic_write_that_collides_stores_none_of_its_events()
    {
        var id = NewId();
        await Journal.WriteAsync(Write(id, 1, 2));

        await Assert.ThrowsAsync<JournalConflictException>(() => Journal.WriteAsync(Write(id, 2, 3)));

        Assert.Equal([1L, 2L], (await ReplayAll(id)).Select(e => e.SequenceNr));
        Assert.Equal(2, await Journal.ReadHighestSequenceNrAsync(id));
    }

    [Fact]
    public async Task A_multi_event_write_stores_every_event()
    {
        var id = NewId();

        await Journal.WriteAsync(Write(id, 1, 5));

        Assert.Equal(5, (await ReplayAll(id)).Count);
    }

    [Fact]
    public async Task Delete_to_removes_events_up_to_it_but_keeps_the_highest_sequence_number()
    {
        var id = NewId();
        await Journal.WriteAsync(Write(id, 1, 5));

        await Journal.DeleteMessagesToAsync(id, 3);
        Assert.Equal([4L, 5L], (await ReplayAll(id)).Select(e => e.SequenceNr));

        await Journal.DeleteMessagesToAsync(id, 5);
        Assert.Empty(await ReplayAll(id));
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(id));
    }

    [Fact]
    public async Task Replay_of_many_streams_gives_each_its_events_from_its_own_start_and_its_highest_number()
    {
        var (whole, fromThird, deleted, unknown) = (NewId(), NewId(), NewId(), NewId());
        await Journal.WriteAsync(Write(whole, 1, 3));
        await Journal.WriteAsync(Write(fromThird, 1, 5));
        await Journal.WriteAsync(Write(deleted, 1, 4));
        await Journal.DeleteMessagesToAsync(deleted, 4);

        var read = await Journal.ReplayManyAsync([new(whole, 1), new(fromThird, 3), new(deleted, 1), new(unknown, 1)]);

        Assert.Equal([1L, 2L, 3L], read[whole].Events.Select(e => e.SequenceNr));
        Assert.All(read[whole].Events, e => Assert.Equal(whole, e.PersistenceId));
        Assert.Equal(3, read[whole].HighestSequenceNr);
        Assert.Equal([3L, 4L, 5L], read[fromThird].Events.Select(e => e.SequenceNr));
        Assert.Equal(5, read[fromThird].HighestSequenceNr);
        Assert.Empty(read[deleted].Events);
        Assert.Equal(4, read[deleted].HighestSequenceNr);
        Assert.Empty(read[unknown].Events);
        Assert.Equal(0, read[unknown].HighestSequenceNr);
    }

    [Fact]
    public async Task Replay_of_many_streams_counts_events_before_the_start_in_the_highest_number()
    {
        var id = NewId();
        await Journal.WriteAsync(Write(id, 1, 4));

        var read = await Journal.ReplayManyAsync([new(id, 5)]);

        Assert.Empty(read[id].Events);
        Assert.Equal(4, read[id].HighestSequenceNr);
    }

    [Fact]
    public async Task Replay_of_many_streams_reads_an_id_asked_twice_from_the_lower_start()
    {
        var id = NewId();
        await Journal.WriteAsync(Write(id, 1, 4));

        var read = await Journal.ReplayManyAsync([new(id, 3), new(id, 2)]);

        Assert.Single(read);
        Assert.Equal([2L, 3L, 4L], read[id].Events.Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task Replay_of_many_streams_keeps_payload_manifest_and_tags()
    {
        var id = NewId();
        await Journal.WriteAsync(new AtomicWrite([Event(id, 1, "a", "t1", "t2")]));

        var repr = Assert.Single((await Journal.ReplayManyAsync([new(id, 1)]))[id].Events);

        Assert.Equal("\"a-1\"", Encoding.UTF8.GetString(repr.Payload));
        Assert.Equal("test.text", repr.Manifest);
        Assert.Equal(["t1", "t2"], repr.Tags);
        Assert.NotNull(repr.WrittenAt);
    }

    [Fact]
    public async Task Concurrent_writers_of_different_streams_all_succeed_in_order()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => NewId()).ToList();

        await Task.WhenAll(ids.Select(async id =>
        {
            for (var seq = 1; seq <= 10; seq += 2)
            {
                await Journal.WriteAsync(Write(id, seq, 2));
            }
        }));

        foreach (var id in ids)
        {
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await ReplayAll(id)).Select(e => e.SequenceNr));
        }
    }

    [Fact]
    public async Task Of_two_concurrent_writers_of_one_sequence_number_exactly_one_wins()
    {
        var id = NewId();

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            try
            {
                await Journal.WriteAsync(new AtomicWrite([Event(id, 1, $"writer{i}")]));
                return true;
            }
            catch (JournalConflictException)
            {
                return false;
            }
        }));

        Assert.Single(results, won => won);
        Assert.Single(await ReplayAll(id));
    }

    [Fact]
    public async Task A_conflict_fails_only_the_colliding_write_not_the_others_written_with_it()
    {
        var id = NewId();
        await Journal.WriteAsync(Write(id, 1, 1));
        var others = Enumerable.Range(0, 20).Select(_ => NewId()).ToList();

        var colliding = Journal.WriteAsync(Write(id, 1, 2));
        var fine = others.Select(o => Journal.WriteAsync(Write(o, 1, 3))).ToList();

        await Assert.ThrowsAsync<JournalConflictException>(() => colliding);
        await Task.WhenAll(fine);
        foreach (var other in others)
        {
            Assert.Equal(3, (await ReplayAll(other)).Count);
        }

        Assert.Single(await ReplayAll(id));
    }
}
