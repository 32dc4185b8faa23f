namespace FleetHealth.Actors.Persistence;

/// <summary>Snapshots in process memory, for tests and for running without a database.</summary>
public sealed class InMemorySnapshotStore : ISnapshotStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedList<long, SnapshotRecord>> _snapshots = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task SaveAsync(SnapshotRecord snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(snapshot.PersistenceId, out var list))
            {
                list = [];
                _snapshots.Add(snapshot.PersistenceId, list);
            }

            list[snapshot.SequenceNr] = snapshot;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SnapshotRecord?> LoadLatestAsync(string persistenceId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_snapshots.TryGetValue(persistenceId, out var list) && list.Count > 0 ? list.Values[^1] : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, SnapshotRecord>> LoadLatestManyAsync(IReadOnlyCollection<string> persistenceIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceIds);
        var result = new Dictionary<string, SnapshotRecord>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var persistenceId in persistenceIds)
            {
                if (_snapshots.TryGetValue(persistenceId, out var list) && list.Count > 0)
                {
                    result[persistenceId] = list.Values[^1];
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, SnapshotRecord>>(result);
    }

    /// <inheritdoc />
    public Task DeleteToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_snapshots.TryGetValue(persistenceId, out var list))
            {
                foreach (var sequenceNr in list.Keys.Where(k => k <= toSequenceNr).ToList())
                {
                    list.Remove(sequenceNr);
                }
            }
        }

        return Task.CompletedTask;
    }
}
