using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Xunit.Abstractions;

namespace FleetHealth.Journal.Tests;

/// <summary>
/// The Sql journal, snapshot store and read journal as configured for production (auto-initialize
/// off) on a database that only the project's migrations prepared.
/// </summary>
public sealed class SqlJournalTests(MigratedDatabase database, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(JournalTestConfig.For(database.ConnectionString), output: output), IClassFixture<MigratedDatabase>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_stopped_actor_recovers_its_snapshot_and_the_events_after_it()
    {
        var recorder = Sys.ActorOf(Recorder.Props("recover-1"));
        recorder.Tell(new Recorder.Add("a"));
        ExpectMsg<Recorder.Added>(Timeout);
        recorder.Tell(new Recorder.Add("b"));
        ExpectMsg<Recorder.Added>(Timeout);
        recorder.Tell(new Recorder.TakeSnapshot());
        Assert.Equal(2, ExpectMsg<SaveSnapshotSuccess>(Timeout).Metadata.SequenceNr);
        recorder.Tell(new Recorder.Add("c"));
        ExpectMsg<Recorder.Added>(Timeout);
        Watch(recorder);
        Sys.Stop(recorder);
        ExpectTerminated(recorder, Timeout);

        var recovered = Sys.ActorOf(Recorder.Props("recover-1"));
        recovered.Tell(new Recorder.GetState());
        var state = ExpectMsg<Recorder.State>(Timeout);

        Assert.Equal(["a", "b", "c"], state.Values);
        Assert.Equal(2, state.SnapshotSequenceNr);
        Assert.Equal(1, state.ReplayedEvents);
        // In the migrated tables of schema akka, not in tables of the plugin's own making.
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM akka.event_journal WHERE persistence_id = 'recover-1'"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM akka.snapshot_store WHERE persistence_id = 'recover-1'"));
    }

    [Fact]
    public async Task AllEvents_and_EventsByTag_deliver_in_order_with_sequence_offsets_and_resume_after_an_offset()
    {
        var first = Sys.ActorOf(Recorder.Props("query-1"));
        var second = Sys.ActorOf(Recorder.Props("query-2"));
        // Alternating streams, every other event tagged: the global order is the order of the replies.
        var written = new List<string>();
        for (var i = 1; i <= 6; i++)
        {
            var value = $"e{i}";
            (i % 2 == 1 ? first : second).Tell(i % 2 == 0 ? new Recorder.Add(value, "even", "all") : new Recorder.Add(value, "all"));
            ExpectMsg<Recorder.Added>(Timeout);
            written.Add(value);
        }

        var queries = PersistenceQuery.Get(Sys).ReadJournalFor<SqlReadJournal>(AkkaJournalConfiguration.ReadJournalPluginId);
        var materializer = Sys.Materializer();

        var all = await Collect(queries.AllEvents(Offset.NoOffset()), 6, materializer);
        Assert.Equal(written, all.Select(e => (string)e.Event));
        var orderings = all.Select(e => Assert.IsType<Sequence>(e.Offset).Value).ToList();
        Assert.Equal(orderings.Order(), orderings);
        Assert.Equal(orderings.Count, orderings.Distinct().Count());

        // Resuming from the third event's offset: the stream starts after it, nothing earlier again.
        var resumed = await Collect(queries.AllEvents(all[2].Offset), 3, materializer);
        Assert.Equal(["e4", "e5", "e6"], resumed.Select(e => (string)e.Event));

        var even = await Collect(queries.EventsByTag("even", Offset.NoOffset()), 3, materializer);
        Assert.Equal(["e2", "e4", "e6"], even.Select(e => (string)e.Event));
        Assert.Equal([orderings[1], orderings[3], orderings[5]], even.Select(e => ((Sequence)e.Offset).Value));
        var evenResumed = await Collect(queries.EventsByTag("even", even[0].Offset), 2, materializer);
        Assert.Equal(["e4", "e6"], evenResumed.Select(e => (string)e.Event));

        // A live stream delivers an event persisted after it started.
        var live = Collect(queries.EventsByTag("even", even[2].Offset), 1, materializer);
        second.Tell(new Recorder.Add("e8", "even"));
        ExpectMsg<Recorder.Added>(Timeout);
        Assert.Equal("e8", (string)(await live).Single().Event);
    }

    // The class's other tests write to the same database: only this test's streams count.
    private static async Task<IReadOnlyList<EventEnvelope>> Collect(Source<EventEnvelope, Akka.NotUsed> source, int count, IMaterializer materializer) =>
        await source.Where(e => e.PersistenceId.StartsWith("query-", StringComparison.Ordinal)).Take(count).RunWith(Sink.Seq<EventEnvelope>(), materializer).WaitAsync(Timeout);

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
