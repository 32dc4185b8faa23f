using System.Threading.Channels;

namespace FleetHealth.Server.Storage;

/// <summary>
/// Reads of one row per journal stream, answered many streams per query: a recovery storm (a first
/// contact with thousands of sensors, a failed-over shard waking its sensors) asks the same small
/// read of thousands of streams at once, and one query with <c>persistence_id = ANY(…)</c> costs
/// little more than one for a single stream.
/// </summary>
/// <remarks>
/// No added wait: a query takes the reads that queued while the previous ones ran (as a group commit
/// does), at most <c>maxBatch</c> streams, with <c>readers</c> queries at once; a lone read is one
/// query at once. A read answers what the query found when it ran (no row: <c>default</c>); a failed
/// query fails every read of it.
/// </remarks>
internal sealed class StreamReadBatcher<T> : IAsyncDisposable
    where T : notnull
{
    private readonly Func<string[], Task<Dictionary<string, T>>> _query;
    private readonly int _maxBatch;
    private readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>();
    private readonly Task[] _readers;

    /// <param name="query">Answers the rows of the given streams (each at most once), keyed by stream.</param>
    /// <param name="maxBatch">Most streams in one query.</param>
    /// <param name="readers">Queries at once.</param>
    public StreamReadBatcher(Func<string[], Task<Dictionary<string, T>>> query, int maxBatch, int readers)
    {
        _query = query;
        _maxBatch = maxBatch;
        _readers = [.. Enumerable.Range(0, readers).Select(_ => Task.Run(ReadAsync))];
    }

    /// <summary>The row of <paramref name="persistenceId"/>, or <c>default</c> when it has none; false if the batcher is stopped.</summary>
    public bool TryRead(string persistenceId, out Task<T?> row)
    {
        var read = new PendingRead(persistenceId);
        row = read.Result.Task;
        return _reads.Writer.TryWrite(read);
    }

    /// <summary>Takes no more reads; the ones queued are still answered.</summary>
    public async ValueTask DisposeAsync()
    {
        _reads.Writer.TryComplete();
        await Task.WhenAll(_readers);
    }

    private async Task ReadAsync()
    {
        var batch = new List<PendingRead>(_maxBatch);
        while (await _reads.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && _reads.Reader.TryRead(out var read))
            {
                batch.Add(read);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var rows = await _query([.. batch.Select(r => r.PersistenceId).Distinct(StringComparer.Ordinal)]);
                foreach (var read in batch)
                {
                    read.Result.TrySetResult(rows.TryGetValue(read.PersistenceId, out var row) ? row : default);
                }
            }
            catch (Exception e)
            {
                foreach (var read in batch)
                {
                    read.Result.TrySetException(e);
                }
            }

            batch.Clear();
        }
    }

    private sealed class PendingRead(string persistenceId)
    {
        public string PersistenceId { get; } = persistenceId;

        public TaskCompletionSource<T?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
