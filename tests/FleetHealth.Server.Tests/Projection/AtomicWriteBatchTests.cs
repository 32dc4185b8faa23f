using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// <see cref="AkkaJournalCursor"/>'s batches against atomic writes, on a stream the test controls
/// (no database): envelopes as the read journal delivers them, marked as the sensor marks its
/// <c>PersistAll</c> (<see cref="AtomicWriteMarks"/>), and a <see cref="VirtualClock"/> for the
/// cursor's waits, so nothing depends on how fast the machine is.
/// </summary>
public sealed class AtomicWriteBatchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly VirtualClock _clock = new(T0);
    private ActorSystem _system = null!;
    private IMaterializer _materializer = null!;

    public Task InitializeAsync()
    {
        _system = ActorSystem.Create("atomic-writes", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        _materializer = _system.Materializer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _system.Terminate();

    [Fact]
    public async Task A_batch_that_reaches_its_size_inside_an_atomic_write_goes_on_to_the_writes_last_event()
    {
        // A new sensor's first heartbeat: registered + heartbeat + healthy in one write, then another sensor's beat.
        await using var cursor = Open(Source.From([Event(1, "new", 1, continues: true), Event(2, "new", 2, continues: true), Event(3, "new", 3), Event(4, "other", 1)]));

        var first = await cursor.NextAsync(1, CancellationToken.None);
        var second = await cursor.NextAsync(1, CancellationToken.None);

        Assert.Equal([1L, 2, 3], first.Entries.Select(e => e.Ordering));
        Assert.Equal(3, first.Through);
        Assert.Equal([4L], second.Entries.Select(e => e.Ordering));
    }

    [Fact]
    public async Task The_rest_of_a_write_that_has_not_arrived_yet_is_waited_for_instead_of_ending_the_batch_before_it()
    {
        var (queue, cursor) = OpenQueue();
        await using (cursor)
        {
            await queue.OfferAsync(Envelope(1, "new", 1, continues: true));
            await InBufferAsync(cursor);

            var next = cursor.NextAsync(100, CancellationToken.None).AsTask();
            Assert.False(next.IsCompleted, "no batch ends after the first event of a write whose rest is still to come");
            await queue.OfferAsync(Envelope(2, "new", 2, continues: true));
            await queue.OfferAsync(Envelope(3, "new", 3));
            var batch = await next.WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal([1L, 2, 3], batch.Entries.Select(e => e.Ordering));
        }
    }

    [Fact]
    public async Task Writes_whose_rows_interleave_with_another_writes_are_followed_stream_by_stream()
    {
        // Two write batches committing at once: their rows' orderings interleave.
        await using var cursor = Open(Source.From([
            Event(1, "a", 1, continues: true), Event(2, "b", 1, continues: true), Event(3, "a", 2),
            Event(4, "b", 2, continues: true), Event(5, "c", 1), Event(6, "b", 3), Event(7, "d", 1)]));

        var first = await cursor.NextAsync(1, CancellationToken.None);
        var second = await cursor.NextAsync(1, CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4, 5, 6], first.Entries.Select(e => e.Ordering));
        Assert.Equal([7L], second.Entries.Select(e => e.Ordering));
    }

    [Fact]
    public async Task Whole_writes_that_arrived_before_an_open_one_are_handed_out_without_waiting_for_it()
    {
        var (queue, cursor) = OpenQueue();
        await using (cursor)
        {
            await queue.OfferAsync(Envelope(1, "old", 7));
            await queue.OfferAsync(Envelope(2, "new", 1, continues: true));

            var before = await cursor.NextAsync(100, CancellationToken.None);
            var next = cursor.NextAsync(100, CancellationToken.None).AsTask();
            await queue.OfferAsync(Envelope(3, "new", 2));

            Assert.Equal([1L], before.Entries.Select(e => e.Ordering));
            Assert.Equal([2L, 3], (await next.WaitAsync(TimeSpan.FromSeconds(20))).Entries.Select(e => e.Ordering));
        }
    }

    [Fact]
    public async Task An_open_write_keeps_its_events_through_an_idle_wait_and_is_given_up_only_after_the_limit()
    {
        var (queue, cursor) = OpenQueue();
        await using (cursor)
        {
            await queue.OfferAsync(Envelope(1, "lost", 1, continues: true));
            await InBufferAsync(cursor);

            var waiting = cursor.NextAsync(100, CancellationToken.None).AsTask();
            _clock.Advance(AkkaJournalCursor.IdleWait);
            var idle = await waiting.WaitAsync(TimeSpan.FromSeconds(20));
            var lag = await cursor.LagAsync(0, CancellationToken.None);
            _clock.Advance(AkkaJournalCursor.OpenWriteLimit);
            var split = await cursor.NextAsync(100, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(JournalBatchKind.Idle, idle.Kind);
            Assert.Equal(T0, lag.OldestUnapplied); // the held event counts as not applied
            Assert.Equal([1L], split.Entries.Select(e => e.Ordering));
        }
    }

    [Fact]
    public async Task A_stream_that_fails_inside_a_write_hands_out_the_whole_writes_before_it_then_fails()
    {
        var cursor = Open(Source.From([Event(1, "done", 1), Event(2, "cut", 1, continues: true)])
            .Concat(Source.Failed<EventEnvelope>(new InvalidOperationException("connection lost"))));
        await using (cursor)
        {
            var batches = new List<JournalBatch>();
            var failure = await Record.ExceptionAsync(async () =>
            {
                while (true)
                {
                    batches.Add(await cursor.NextAsync(100, CancellationToken.None));
                }
            });

            Assert.IsType<JournalFeedException>(failure);
            Assert.Equal([1L], batches.SelectMany(b => b.Entries).Select(e => e.Ordering));
        }
    }

    private AkkaJournalCursor Open(Source<EventEnvelope, NotUsed> source) => new(source, _materializer, 0, 100, _clock);

    private (ISourceQueueWithComplete<EventEnvelope> Queue, AkkaJournalCursor Cursor) OpenQueue()
    {
        var (queue, source) = Source.Queue<EventEnvelope>(16, OverflowStrategy.Backpressure).PreMaterialize(_materializer);
        return (queue, Open(source));
    }

    /// <summary>Until the stream has put an event into the cursor's buffer (the lag sees the buffer's head).</summary>
    private static Task InBufferAsync(AkkaJournalCursor cursor) =>
        Eventually.Until(async () => (await cursor.LagAsync(0, CancellationToken.None)).OldestUnapplied, at => at is not null, TimeSpan.FromSeconds(20), "an event in the cursor's buffer");

    private static EventEnvelope Event(long ordering, string sensor, long sequenceNr, bool continues = false) => Envelope(ordering, sensor, sequenceNr, continues);

    private static EventEnvelope Envelope(long ordering, string sensor, long sequenceNr, bool continues = false) =>
        new(
            Offset.Sequence(ordering),
            SensorActor.PersistenceIdOf(sensor),
            sequenceNr,
            new StatusChanged(T0, LivenessStatus.Registered, LivenessStatus.Healthy, "test"),
            T0.UtcTicks,
            continues ? [AtomicWriteMarks.Continues] : []);
}
