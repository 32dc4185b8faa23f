using FleetHealth.Fleet;
using System.Threading.Channels;
using Akka;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetHealth.Domain.Liveness;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetHealth.Server.Projection;

/// <summary>
/// One run of the read journal's stream from an offset, into a bounded buffer the projection takes
/// batches from: whatever has arrived, up to the batch size, waiting only when nothing has. Each
/// envelope becomes a <see cref="JournalEntry"/>: its <see cref="Sequence"/> offset is the ordering,
/// its persistence id the stream (<c>sensor/{id}</c> for sensors), its event the
/// <see cref="SensorEvent"/> that the sensor serializer decoded, its timestamp (ticks) the write time,
/// its tag <see cref="AtomicWriteMarks.Continues"/> whether the stream's next event is of the same write.
/// </summary>
/// <remarks>
/// Guarantees: orderings strictly increase (a repeat or a step back fails the stream rather than
/// apply an event twice); events buffered before a failure are still handed out up to the last
/// whole atomic write, then <see cref="NextAsync"/> throws <see cref="JournalFeedException"/>.
/// Disposal stops the stream.
/// <para>
/// A batch never ends inside an atomic write (a sensor's <c>PersistAll</c>, e.g. a new sensor's
/// registered + heartbeat + healthy), so the read model, and the live feed that follows its commits,
/// never shows a write in part. The rule: a batch may end only where no stream is open, a stream
/// being open from an event marked <see cref="AtomicWriteMarks.Continues"/> until its next event
/// (marked or not) arrives. It holds however the stream delivers the write: its rows may be spread
/// over two read-journal pages, arrive one by one, or interleave with another transaction's rows
/// (orderings of concurrent write batches interleave), since it follows each stream on its own. So a
/// batch may hold more than the batch size (the rest of the writes open at its end, and what came
/// between), and events that arrived after the last point where no stream was open wait for the next
/// batch. The rest of a write committed with its start, so the read journal delivers it with its next
/// query; should it not come within <see cref="OpenWriteLimit"/> (the plugin gave its ordering up, a
/// row deleted), the batch ends anyway and the split is logged: a stalled projection would be worse.
/// </para>
/// </remarks>
internal sealed partial class AkkaJournalCursor : IJournalCursor
{
    /// <summary>How long <see cref="NextAsync"/> waits for an event before it returns <see cref="JournalBatch.Idle"/>.</summary>
    internal static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    /// <summary>How long the rest of an atomic write is waited for before a batch ends inside it.</summary>
    internal static readonly TimeSpan OpenWriteLimit = TimeSpan.FromSeconds(30);

    private readonly Channel<JournalEntry> _buffer;
    private readonly UniqueKillSwitch _stop;
    private readonly Task _stopped;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    /// <summary>Events taken from the buffer and not handed out yet: the writes still open, and what came with them.</summary>
    private readonly List<JournalEntry> _pending = [];

    /// <summary>Streams whose atomic write continues: since when (this cursor's clock) and the sequence number of the last event seen.</summary>
    private readonly Dictionary<string, (DateTimeOffset Since, long SequenceNr)> _open = new(StringComparer.Ordinal);

    /// <summary>How many of <see cref="_pending"/> end where no write was open: what may be handed out.</summary>
    private int _whole;
    private long _newest;
    private (DateTimeOffset WrittenAt, DateTimeOffset HandedOutAt)? _lastHandedOut;

    public AkkaJournalCursor(Source<EventEnvelope, NotUsed> events, IMaterializer materializer, long offset, int capacity, TimeProvider clock, ILogger? logger = null)
    {
        _clock = clock;
        _logger = logger ?? NullLogger.Instance;
        _newest = offset;
        _buffer = Channel.CreateBounded<JournalEntry>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        (_stop, _stopped) = events
            .Select(ToEntry)
            .ViaMaterialized(KillSwitches.Single<JournalEntry>(), Keep.Right)
            .WatchTermination((kill, done) => (kill, (Task)done))
            .To(ChannelSink.FromWriter(_buffer.Writer, isOwner: true))
            .Run(materializer);
    }

    /// <summary>
    /// The next events: at least the whole writes that arrived, up to <paramref name="maxEvents"/> of
    /// them and beyond that only to finish a write still open (see the class's remarks).
    /// </summary>
    public async ValueTask<JournalBatch> NextAsync(int maxEvents, CancellationToken cancellationToken)
    {
        var reader = _buffer.Reader;
        while (true)
        {
            while ((_whole < maxEvents || _open.Count > 0) && reader.TryRead(out var next))
            {
                Take(next);
            }

            if (_whole > 0)
            {
                return HandOut(_whole);
            }

            if (_open.Count > 0 && _clock.GetUtcNow() - _open.Values.Min(o => o.Since) >= OpenWriteLimit)
            {
                var (stream, (_, sequenceNr)) = _open.MinBy(o => o.Value.Since);
                LogWriteSplit(stream, sequenceNr, OpenWriteLimit.TotalSeconds, _open.Count);
                _open.Clear();
                return HandOut(_pending.Count);
            }

            if (!await WaitForEventsAsync(cancellationToken))
            {
                return JournalBatch.Idle;
            }
        }
    }

    /// <summary>Follows the atomic writes: a stream's marked event opens its write, its next event closes it (or opens the next).</summary>
    private void Take(JournalEntry entry)
    {
        _pending.Add(entry);
        if (entry.ContinuesWrite)
        {
            // A stream already open whose next number did not come has lost the rest of that write: this starts a new one.
            _open[entry.PersistenceId] = _open.TryGetValue(entry.PersistenceId, out var open) && open.SequenceNr + 1 == entry.SequenceNr
                ? (open.Since, entry.SequenceNr)
                : (_clock.GetUtcNow(), entry.SequenceNr);
        }
        else
        {
            _open.Remove(entry.PersistenceId);
        }

        if (_open.Count == 0)
        {
            _whole = _pending.Count;
        }
    }

    private JournalBatch HandOut(int count)
    {
        var entries = _pending.GetRange(0, count);
        _pending.RemoveRange(0, count);
        _whole = _open.Count == 0 ? _pending.Count : Math.Max(0, _whole - count);
        _lastHandedOut = (entries[^1].WrittenAt, _clock.GetUtcNow());
        return JournalBatch.Next(entries);
    }

    /// <summary>
    /// Newest: the highest ordering the stream has delivered (events the read journal has not yet
    /// fetched are unknown here). Oldest unapplied: the oldest delivered event not handed out (held
    /// with a write still open, else in the buffer);
    /// with the buffer empty, the newest event handed out (just applied, when the projection asks)
    /// if that was within <see cref="IdleWait"/>, since the next event, not yet delivered, was
    /// written after it: an upper bound that keeps a read journal falling behind visible; else none.
    /// </summary>
    public ValueTask<FeedLag> LagAsync(long appliedOffset, CancellationToken cancellationToken)
    {
        var newest = Math.Max(Volatile.Read(ref _newest), appliedOffset);
        if (_pending.Count > 0)
        {
            return ValueTask.FromResult(new FeedLag(newest, _pending[0].WrittenAt));
        }

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
        var continues = sensorEvent is not null && envelope.Tags is { Length: > 0 } tags && tags.Contains(AtomicWriteMarks.Continues, StringComparer.Ordinal);
        return new JournalEntry(ordering, envelope.PersistenceId, sensorEvent, new DateTimeOffset(envelope.Timestamp, TimeSpan.Zero), envelope.SequenceNr, continues);
    }

    [LoggerMessage(LogLevel.Warning, "The atomic write of {Stream} after its event #{SequenceNr} stayed incomplete for {Seconds} s ({Open} writes open): the batch ends inside it")]
    private partial void LogWriteSplit(string stream, long sequenceNr, double seconds, int open);
}
