using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>Writing one batch.</summary>
public sealed partial class PostgresJournal
{
    private const string CopyCommand =
        "COPY journal (persistence_id, sequence_nr, manifest, payload, tags) FROM STDIN (FORMAT BINARY)";

    // The writer's own connection, kept open across batches; dropped after any failure.
    private NpgsqlConnection? _connection;

    /// <summary>
    /// Fast path: the whole batch with one binary COPY in one transaction. A unique-key violation
    /// (two writers of one stream) makes PostgreSQL reject the whole COPY; that is rare, so instead of
    /// paying ON CONFLICT checks on every batch we then retry the batch write by write, each in a
    /// savepoint of one transaction: only the colliding writes fail, the others commit together, and
    /// every atomic write stays all-or-nothing.
    /// </summary>
    private async Task WriteBatchAsync(List<PendingWrite> batch, int events)
    {
        Interlocked.Increment(ref _batches);
        ActorMetrics.JournalBatchEvents.Record(events);
        var remaining = batch;
        try
        {
            var connection = await OpenAsync().ConfigureAwait(false);
            if (_options.BeforeBatch is null)
            {
                // A single COPY is atomic and commits by itself: one round trip less than BEGIN/COPY/COMMIT.
                await CopyAsync(connection, batch).ConfigureAwait(false);
                CompleteAll(batch);
            }
            else
            {
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                remaining = Refuse(batch, await CheckPreconditionAsync(connection, transaction, batch).ConfigureAwait(false));
                if (remaining.Count > 0)
                {
                    await CopyAsync(connection, remaining).ConfigureAwait(false);
                }

                await transaction.CommitAsync().ConfigureAwait(false);
                CompleteAll(remaining);
            }

            _outages?.Succeeded();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Refused writes are already failed: they must not be retried behind their writers' backs.
            await WriteOneByOneAsync(remaining).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            if (_outages?.Failed("journal batches failed", exception) != true)
            {
                _logger.LogError(exception, "Journal batch of {Events} events failed", events);
            }

            await ResetConnectionAsync().ConfigureAwait(false);
            foreach (var pending in batch)
            {
                pending.TrySetException(exception);
            }
        }
    }

    private async Task WriteOneByOneAsync(List<PendingWrite> batch)
    {
        var written = new List<PendingWrite>(batch.Count);
        try
        {
            var connection = await OpenAsync().ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            var allowed = Refuse(batch, await CheckPreconditionAsync(connection, transaction, batch).ConfigureAwait(false));
            foreach (var pending in allowed)
            {
                await transaction.SaveAsync("w").ConfigureAwait(false);
                try
                {
                    await CopyAsync(connection, [pending]).ConfigureAwait(false);
                    await transaction.ReleaseAsync("w").ConfigureAwait(false);
                    written.Add(pending);
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    await transaction.RollbackAsync("w").ConfigureAwait(false);
                    _logger.LogWarning("Journal write {From}..{To} of {PersistenceId} collides with another writer",
                        pending.Write.LowestSequenceNr, pending.Write.HighestSequenceNr, pending.Write.PersistenceId);
                    pending.TrySetException(new JournalConflictException(
                        $"Events {pending.Write.LowestSequenceNr}..{pending.Write.HighestSequenceNr} of '{pending.Write.PersistenceId}' already exist: two writers for one persistence id.",
                        exception));
                }
            }

            await transaction.CommitAsync().ConfigureAwait(false);
            CompleteAll(written);
        }
        catch (Exception exception)
        {
            if (_outages?.Failed("journal batches failed", exception) != true)
            {
                _logger.LogError(exception, "Journal batch retry failed");
            }

            await ResetConnectionAsync().ConfigureAwait(false);
            foreach (var pending in batch)
            {
                pending.TrySetException(exception);
            }
        }
    }

    private async ValueTask<IReadOnlyList<RefusedWrite>> CheckPreconditionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingWrite> batch) =>
        _options.BeforeBatch is { } check
            ? await check(connection, transaction, batch.ConvertAll(p => p.Write), _stopping.Token).ConfigureAwait(false)
            : [];

    /// <summary>
    /// Fails the refused writes with their reasons (they are not stored, so failing them before the
    /// commit of the others is safe) and returns the writes that may be stored.
    /// </summary>
    private static List<PendingWrite> Refuse(List<PendingWrite> batch, IReadOnlyList<RefusedWrite> refused)
    {
        if (refused.Count == 0)
        {
            return batch;
        }

        var reasons = new Dictionary<AtomicWrite, Exception>(ReferenceEqualityComparer.Instance);
        foreach (var refusal in refused)
        {
            reasons[refusal.Write] = refusal.Reason;
        }

        var allowed = new List<PendingWrite>(batch.Count);
        foreach (var pending in batch)
        {
            if (reasons.TryGetValue(pending.Write, out var reason))
            {
                pending.TrySetException(reason);
            }
            else
            {
                allowed.Add(pending);
            }
        }

        return allowed;
    }

    private static void CompleteAll(List<PendingWrite> written)
    {
        foreach (var pending in written)
        {
            pending.TrySetResult();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IEnumerable<PendingWrite> batch)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopyCommand).ConfigureAwait(false);
        foreach (var pending in batch)
        {
            foreach (var repr in pending.Write.Events)
            {
                await importer.StartRowAsync().ConfigureAwait(false);
                await importer.WriteAsync(repr.PersistenceId, NpgsqlDbType.Text).ConfigureAwait(false);
                await importer.WriteAsync(repr.SequenceNr, NpgsqlDbType.Bigint).ConfigureAwait(false);
                await importer.WriteAsync(repr.Manifest, NpgsqlDbType.Text).ConfigureAwait(false);
                await importer.WriteAsync(repr.Payload, NpgsqlDbType.Bytea).ConfigureAwait(false);
                await importer.WriteAsync(repr.Tags, NpgsqlDbType.Array | NpgsqlDbType.Text).ConfigureAwait(false);
            }
        }

        await importer.CompleteAsync().ConfigureAwait(false);
    }

    private async ValueTask<NpgsqlConnection> OpenAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        await ResetConnectionAsync().ConfigureAwait(false);
        _connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return _connection;
    }

    private async ValueTask ResetConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }
}
