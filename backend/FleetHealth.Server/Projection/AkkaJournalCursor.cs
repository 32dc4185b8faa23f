using FleetHealth.Fleet;
using System.Threading.Channels;
using Akka;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Server.Projection;

/// <summary>
/// One run of the read journal's stream from an offset, into a bounded buffer the projection takes
/// batches from: whatever has arrived, up to the batch size, waiting only when nothing has. Each
/// envelope becomes a <see cref="JournalEntry"/>: its <see cref="Sequence"/> offset is the ordering,
/// its persistence id the stream (<c>sensor/{id}</c> for sensors), its event the
/// <see cref="SensorEvent"/> that the sensor serializer decoded, its timestamp (ticks) the write time.
/// </summary>
/// <remarks>
/// Guarantees: orderings strictly increase (a repeat or a step back fails the stream rather than
/// apply an event twice); events buffered before a failure are still handed out, then
/// <see cref="NextAsync"/> throws <see cref="JournalFeedException"/>. Disposal stops the stream.
/// </remarks>
internal sealed class AkkaJournalCursor : IJournalCursor
{
    /// <summary>How long <see cref="NextAsync"/> waits for an event before it returns <see cref="JournalBatch.Idle"/>.</summary>
    internal static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly Channel<JournalEntry> _buffer;
    private readonly UniqueKillSwitch _stop;
    private readonly Task _stopped;
    private readonly TimeProvider _clock;
    private long _newest;
    private (DateTimeOffset WrittenAt, DateTimeOffset HandedOutAt)? _lastHandedOut;

    public AkkaJournalCursor(Source<EventEnvelope, NotUsed> events, IMaterializer materializer, long offset, int capacity, TimeProvider clock)
    {
        _clock = clock;
        _newest = offset;
        _buffer = Channel.CreateBounded<JournalEntry>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        (_stop, _stopped) = events
            .Select(ToEntry)
            .ViaMaterialized(KillSwitches.Single<JournalEntry>(), Keep.Right)
            .WatchTermination((kill, done) => (kill, (Task)done))
            .To(ChannelSink.FromWriter(_buffer.Writer, isOwner: true))
            .Run(materializer);
    }

    public long OpenGaps => 0;

    public async ValueTask<JournalBatch> NextAsync(int maxEvents, CancellationToken cancellationToken)
    {
        var reader = _buffer.Reader;
        if (!reader.TryRead(out var first))
        {
            if (!await WaitForEventsAsync(cancellationToken) || !reader.TryRead(out first))
            {
                return JournalBatch.Idle;
            }
        }

        var entries = new List<JournalEntry>(Math.Min(maxEvents, reader.Count + 1)) { first };
        while (entries.Count < maxEvents && reader.TryRead(out var next))
        {
            entries.Add(next);
        }

        _lastHandedOut = (entries[^1].WrittenAt, _clock.GetUtcNow());
        return JournalBatch.Next(entries);
    }

    /// <summary>
    /// Newest: the highest ordering the stream has delivered (events the read journal has not yet
    /// fetched are unknown here). Oldest unapplied: the oldest delivered event still in the buffer;
    /// with the buffer empty, the newest event handed out (just applied, when the projection asks)
    /// if that was within <see cref="IdleWait"/>, since the next event, not yet delivered, was
    /// written after it: an upper bound that keeps a read journal falling behind visible; else none.
    /// </summary>
    public ValueTask<FeedLag> LagAsync(long appliedOffset, CancellationToken cancellationToken)
    {
        var newest = Math.Max(Volatile.Read(ref _newest), appliedOffset);
        if (_buffer.Reader.TryPeek(out var head))
        {
            return ValueTask.FromResult(new FeedLag(newest, head.WrittenAt));
        }

        return ValueTask.FromResult(_lastHandedOut is { } last && _clock.GetUtcNow() - last.HandedOutAt < IdleWait
            ? new FeedLag(newest, last.WrittenAt)
            : new FeedLag(newest, null));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Shutdown();
        // A stream waiting for room in a full buffer is let go.
        _buffer.Writer.TryComplete();
        // Bounded: a query stuck on a dead connection must not hold up a restart or a shutdown.
        await _stopped.WaitAsync(TimeSpan.FromSeconds(5), _clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>True when events are waiting; false after <see cref="IdleWait"/> without any.</summary>
    private async ValueTask<bool> WaitForEventsAsync(CancellationToken cancellationToken)
    {
        using var idle = new CancellationTokenSource(IdleWait, _clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            return await _buffer.Reader.WaitToReadAsync(either.Token)
                ? true
                : throw new JournalFeedException("The read journal's event stream ended.");
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException and not JournalFeedException)
        {
            throw new JournalFeedException($"The read journal's event stream failed: {e.Message}", e);
        }
    }

    /// <remarks>Runs on the stream's thread, one envelope at a time.</remarks>
    private JournalEntry ToEntry(EventEnvelope envelope)
    {
        var ordering = envelope.Offset is Sequence sequence
            ? sequence.Value
            : throw new JournalFeedException($"Envelope of {envelope.PersistenceId} #{envelope.SequenceNr} has offset {envelope.Offset}, not a sequence.");
        if (ordering <= _newest)
        {
            throw new JournalFeedException($"The read journal delivered ordering {ordering} after {_newest}.");
        }

        Volatile.Write(ref _newest, ordering);
        var sensorEvent = envelope.PersistenceId.StartsWith(SensorActor.PersistenceIdPrefix, StringComparison.Ordinal) ? envelope.Event as SensorEvent : null;
        return new JournalEntry(ordering, envelope.PersistenceId, sensorEvent, new DateTimeOffset(envelope.Timestamp, TimeSpan.Zero), envelope.SequenceNr);
    }
}
