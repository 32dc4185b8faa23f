using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Tests.Support;
using FleetHealth.Actors.TestKit;

namespace FleetHealth.Actors.Tests.Persistence;

public sealed class PersistTests : ActorTestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private readonly GatedJournal _journal;

    public PersistTests() : this(new GatedJournal(new InMemoryJournal()))
    {
    }

    private PersistTests(GatedJournal journal) : base(new ActorSystemSettings { Journal = journal, Serializer = TestSerialization.Create() }) =>
        _journal = journal;

    /// <summary>A failed test must not leave a recovery or a write held at a gate: disposing the system waits for them.</summary>
    public override async Task DisposeAsync()
    {
        _journal.OpenReplays();
        _journal.OpenWrites();
        await base.DisposeAsync();
    }

    /// <summary>
    /// Actors whose recovery reads are all in flight at once, one read each: each is started only
    /// once the previous one's read waits at the closed gate, so no free worker can take two of them
    /// in one read (a worker reads every recovery queued when it starts).
    /// </summary>
    private async Task<List<IActorRef>> RecoveringOneReadEach(string prefix, int count)
    {
        var actors = new List<IActorRef>(count);
        for (var i = 0; i < count; i++)
        {
            actors.Add(Sys.GetOrCreate($"{prefix}-{i}", Counter.Props()));
            var expected = i + 1;
            await Eventually(() => _journal.ReplaysNow == expected);
        }

        return actors;
    }

    private async Task<IActorRef> StartedCounter(string id, TestProbe? recovery = null)
    {
        var actor = Sys.GetOrCreate(id, Counter.Props(recovery));
        await actor.Ask<Total>(new Get(), Wait);
        return actor;
    }

    [Fact]
    public async Task Commands_sent_during_persist_are_handled_after_the_event_handler_in_arrival_order()
    {
        var actor = await StartedCounter("c");
        var probe = CreateTestProbe();
        _journal.CloseWrites();

        actor.Tell(new Add(1), probe);
        actor.Tell(new Get(), probe);
        actor.Tell(new Add(10), probe);
        actor.Tell(new Get(), probe);
        await Eventually(() => _journal.WritesWaiting == 1);
        await probe.ExpectNoMsgAsync(TimeSpan.Zero);
        _journal.OpenWrites();

        await probe.ExpectMsgAsync(new Ack(1, 1));
        await probe.ExpectMsgAsync(new Total(1, 1));
        await probe.ExpectMsgAsync(new Ack(11, 2));
        await probe.ExpectMsgAsync(new Total(11, 2));
    }

    [Fact]
    public async Task Ask_completes_only_after_the_event_is_durable()
    {
        var actor = await StartedCounter("durable");
        _journal.CloseWrites();

        var ask = actor.Ask<Ack>(new Add(3), Wait);
        await Eventually(() => _journal.WritesWaiting == 1);
        Assert.False(ask.IsCompleted);
        _journal.OpenWrites();

        Assert.Equal(new Ack(3, 1), await ask);
        var stored = new List<PersistentRepr>();
        await Sys.Settings.Journal.ReplayAsync("durable", 1, long.MaxValue, stored.Add);
        Assert.Single(stored);
    }

    [Fact]
    public async Task PersistAll_and_several_persists_of_one_command_are_one_atomic_write_with_handlers_in_order()
    {
        var actor = await StartedCounter("all");

        var ack = await actor.Ask<Ack>(new AddTwice(4), Wait);

        Assert.Equal(new Ack(8, 3), ack);
        Assert.Equal(3, await Sys.Settings.Journal.ReadHighestSequenceNrAsync("all"));
    }

    [Fact]
    public async Task Commands_sent_during_recovery_are_stashed_and_handled_after_it()
    {
        await (await StartedCounter("r")).Ask<Ack>(new Add(2), Wait);
        await Sys.StopAsync(Sys.GetOrCreate("r", Counter.Props()));
        _journal.CloseReplays();
        var recovery = CreateTestProbe("recovery");
        var probe = CreateTestProbe();

        var actor = Sys.GetOrCreate("r", Counter.Props(recovery));
        actor.Tell(new Get(), probe);
        actor.Tell(new Add(1), probe);
        await probe.ExpectNoMsgAsync(TimeSpan.Zero);
        _journal.OpenReplays();

        await recovery.ExpectMsgAsync(new Added(2));
        await recovery.ExpectMsgAsync(new Total(2, 1));
        await probe.ExpectMsgAsync(new Total(2, 1));
        await probe.ExpectMsgAsync(new Ack(3, 2));
    }

    [Fact]
    public async Task A_restart_recovers_the_state_from_the_journal()
    {
        var recovery = CreateTestProbe("recovery");
        var actor = Sys.GetOrCreate("restart", Counter.Props(recovery));
        await actor.Ask<Ack>(new Add(2), Wait);
        await actor.Ask<Ack>(new Add(3), Wait);
        await recovery.ExpectMsgAsync(new Total(0, 0));

        actor.Tell(new Boom());

        await recovery.ExpectMsgAsync(new Added(2));
        await recovery.ExpectMsgAsync(new Added(3));
        await recovery.ExpectMsgAsync(new Total(5, 2));
        Assert.Equal(new Total(5, 2), await actor.Ask<Total>(new Get(), Wait));
        Assert.Equal(1, Sys.Restarts);
    }

    [Fact]
    public async Task Concurrent_recoveries_are_capped()
    {
        _journal.CloseReplays();
        var actors = await RecoveringOneReadEach("many", Sys.Settings.MaxConcurrentRecoveries);
        actors.AddRange(Enumerable.Range(0, 40).Select(i => Sys.GetOrCreate($"more-{i}", Counter.Props())));
        _journal.OpenReplays();

        await Task.WhenAll(actors.Select(a => a.Ask<Total>(new Get(), Wait)));

        Assert.Equal(Sys.Settings.MaxConcurrentRecoveries, _journal.MaxConcurrentReplays);
    }

    [Fact]
    public async Task Recoveries_that_queue_behind_the_cap_are_read_together()
    {
        _journal.CloseReplays();
        var reading = await RecoveringOneReadEach("first", Sys.Settings.MaxConcurrentRecoveries);
        var queued = Enumerable.Range(0, 100).Select(i => Sys.GetOrCreate($"queued-{i}", Counter.Props())).ToList();
        var readsBefore = _journal.ReplayReads;
        _journal.OpenReplays();

        var totals = await Task.WhenAll(reading.Concat(queued).Select(a => a.Ask<Total>(new Get(), Wait)));

        Assert.All(totals, t => Assert.Equal(new Total(0, 0), t));
        // The hundred queued actors fit one read each worker takes, so at most one read per worker.
        Assert.InRange(_journal.ReplayReads - readsBefore, 1, Sys.Settings.MaxConcurrentRecoveries);
    }

    [Fact]
    public async Task A_stream_that_does_not_deserialize_fails_only_its_actor_not_those_read_with_it()
    {
        await _journal.WriteAsync(new AtomicWrite([new PersistentRepr("broken", 1, "test.added", "not json"u8.ToArray(), [])]));
        _journal.CloseReplays();
        var reading = await RecoveringOneReadEach("ahead", Sys.Settings.MaxConcurrentRecoveries);
        Sys.GetOrCreate("broken", Counter.Props());
        var sound = Enumerable.Range(0, 10).Select(i => Sys.GetOrCreate($"sound-{i}", Counter.Props())).ToList();
        _journal.OpenReplays();

        var totals = await Task.WhenAll(reading.Concat(sound).Select(a => a.Ask<Total>(new Get(), Wait)));

        Assert.All(totals, t => Assert.Equal(new Total(0, 0), t));
        await Eventually(() => !Sys.TryGet("broken", out _));
        Assert.Equal(1, Sys.Failures);
    }

    [Fact]
    public async Task A_second_writer_of_the_same_stream_fails_its_persist_and_stops()
    {
        var first = await StartedCounter("twin");
        await using var other = new ActorSystem("other", Sys.Settings with { Clock = TimeProvider.System });
        var second = other.GetOrCreate("twin", Counter.Props());
        await second.Ask<Total>(new Get(), Wait);

        await first.Ask<Ack>(new Add(1), Wait);
        await Assert.ThrowsAsync<ActorNotAvailableException>(() => second.Ask<Ack>(new Add(1), Wait));

        Assert.False(other.TryGet("twin", out _));
        Assert.Equal(1, other.Failures);
        Assert.Equal(1, await Sys.Settings.Journal.ReadHighestSequenceNrAsync("twin"));
    }

    [Fact]
    public async Task Stop_waits_for_the_in_flight_persist()
    {
        var actor = await StartedCounter("graceful");
        var probe = CreateTestProbe();
        _journal.CloseWrites();
        actor.Tell(new Add(1), probe);
        await Eventually(() => _journal.WritesWaiting == 1);

        var stopped = Sys.StopAsync(actor);
        Assert.False(stopped.IsCompleted);
        _journal.OpenWrites();
        await stopped;

        await probe.ExpectMsgAsync(new Ack(1, 1));
    }

    private static async Task Eventually(Func<bool> condition) =>
        await FleetHealth.Testing.Eventually.Until(() => Task.FromResult(condition()), done => done, Wait);
}
