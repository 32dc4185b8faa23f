namespace FleetHealth.Actors.Persistence;

/// <summary>
/// A journal in process memory, for tests and for running without a database. Same contract as the
/// PostgreSQL journal except durability: everything is lost with the process.
/// </summary>
public sealed class InMemoryJournal : IJournal
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Stream> _streams = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (!_streams.TryGetValue(write.PersistenceId, out var stream))
            {
                stream = new Stream();
                _streams.Add(write.PersistenceId, stream);
            }

            foreach (var repr in write.Events)
            {
                if (stream.Events.ContainsKey(repr.SequenceNr))
                {
                    return Task.FromException(new JournalConflictException(
                        $"Event {repr.SequenceNr} of '{repr.PersistenceId}' already exists: two writers for one persistence id."));
                }
            }

            foreach (var repr in write.Events)
            {
                stream.Events.Add(repr.SequenceNr, repr with { WrittenAt = now });
                stream.Highest = Math.Max(stream.Highest, repr.SequenceNr);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        List<PersistentRepr> selected;
        lock (_lock)
        {
            selected = _streams.TryGetValue(persistenceId, out var stream)
                ? stream.Events.Values.Where(e => e.SequenceNr >= fromSequenceNr && e.SequenceNr <= toSequenceNr).ToList()
                : [];
        }

        foreach (var repr in selected)
        {
            onEvent(repr);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_streams.TryGetValue(persistenceId, out var stream) ? stream.Highest : 0);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, ReplayedStream>> ReplayManyAsync(IReadOnlyCollection<ReplayRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var result = new Dictionary<string, ReplayedStream>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var (persistenceId, from) in ReplayRequest.LowestPerId(requests))
            {
                result[persistenceId] = _streams.TryGetValue(persistenceId, out var stream)
                    ? new ReplayedStream([.. stream.Events.Values.Where(e => e.SequenceNr >= from)], stream.Highest)
                    : ReplayedStream.Empty;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, ReplayedStream>>(result);
    }

    /// <inheritdoc />
    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(persistenceId, out var stream))
            {
                foreach (var sequenceNr in stream.Events.Keys.Where(k => k <= toSequenceNr).ToList())
                {
                    stream.Events.Remove(sequenceNr);
                }
            }
        }

        return Task.CompletedTask;
    }

    private sealed class Stream
    {
        public SortedList<long, PersistentRepr> Events { get; } = [];

        public long Highest { get; set; }
    }
}
