using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>
/// The journal in PostgreSQL (table <c>journal</c>, migration 0002). Reads go straight to the pool;
/// writes of all actors go through one writer loop that drains everything queued into one batch,
/// writes it with binary COPY in one transaction (group commit: one fsync for many events), then
/// completes each write. Writes that arrive meanwhile form the next batch. The queue is bounded:
/// when full, writers wait instead of growing memory. Split: this file (queue and loop), Batch
/// (how a batch is written) and Reads.
/// </summary>
public sealed partial class PostgresJournal : IJournal, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresJournalOptions _options;
    private readonly ILogger _logger;
    private readonly StorageOutageLog? _outages;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _writer;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Starts the writer loop.</summary>
    /// <param name="dataSource">Where the journal is.</param>
    /// <param name="options">Batching and the precondition of each batch.</param>
    /// <param name="logger">Failures of batches.</param>
    /// <param name="outages">Where batches failing because storage is unreachable are reported instead of logged one by one.</param>
    public PostgresJournal(NpgsqlDataSource dataSource, PostgresJournalOptions? options = null, ILogger<PostgresJournal>? logger = null, StorageOutageLog? outages = null)
    {
        _outages = outages;
        _dataSource = dataSource;
        _options = options ?? new PostgresJournalOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(_options.BufferCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Batches written so far (diagnostics and benchmarks).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    private long _batches;

    /// <inheritdoc />
    public async Task WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var pending = new PendingWrite(write);
        if (!_queue.Writer.TryWrite(pending))
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }

        await pending.Task.ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var events = 0;
            while (events < _options.MaxBatchEvents && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                events += pending.Write.Events.Count;
            }

            try
            {
                await WriteBatchAsync(batch, events).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                // WriteBatchAsync completes every write itself; this only guards the loop.
                _logger.LogError(exception, "Journal writer failed a batch unexpectedly");
                foreach (var pending in batch)
                {
                    pending.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Stops accepting writes, lets the writer finish what is queued, and closes its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class PendingWrite(AtomicWrite write) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public AtomicWrite Write { get; } = write;
    }
}
