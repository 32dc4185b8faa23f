using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// Akka.Persistence.Sql's journal, with the read every recovery makes first (its stream's highest
/// sequence number) answered for many streams per query (<see cref="StreamReadBatcher{T}"/>), as
/// <see cref="BatchedSnapshotStore"/> does for the latest snapshot: the plugin makes it a
/// transaction of its own per stream. Writes, replays and deletes are the plugin's.
/// </summary>
/// <remarks>
/// Guarantees, as the plugin's read: the answer is the highest sequence number stored for the stream
/// (logically deleted events included) when the query runs, or 0 when none is above
/// <c>fromSequenceNr</c>; a read for a stream whose write this journal has in flight waits for that
/// write to finish first (succeeded or failed), so a recovering incarnation never starts below an
/// event its predecessor is still writing.
/// </remarks>
public sealed class BatchedSqlWriteJournal : SqlWriteJournal
{
    private const int MaxBatch = 256;
    private const int Readers = 2;

    private readonly NpgsqlDataSource _dataSource;
    private readonly StreamReadBatcher<long> _highest;
    private readonly ConcurrentDictionary<string, Task> _writing = new(StringComparer.Ordinal);

    public BatchedSqlWriteJournal(Config journalConfig) : base(journalConfig)
    {
        _dataSource = BatchedReads.DataSource(journalConfig, "fleethealth-journal-reads");
        var query = $"SELECT persistence_id, max(sequence_number) FROM {BatchedReads.Table(journalConfig, "journal.table-name", "journal")} WHERE persistence_id = ANY($1) GROUP BY persistence_id";
        _highest = new StreamReadBatcher<long>(ids => HighestAsync(query, ids), MaxBatch, Readers);
    }

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken = default)
    {
        if (_writing.TryGetValue(persistenceId, out var write))
        {
            await write.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (!_highest.TryRead(persistenceId, out var read))
        {
            return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        }

        var highest = await read;
        return highest > fromSequenceNr ? highest : 0;
    }

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? [.. messages];
        var written = base.WriteMessagesAsync(writes, cancellationToken);
        for (var i = 0; i < writes.Count; i++)
        {
            _writing[writes[i].PersistenceId] = written;
        }

        // One continuation per call (a call is mostly one sensor's write): forgets the streams whose latest write this was.
        _ = written.ContinueWith(
            (done, state) =>
            {
                foreach (var write in (IReadOnlyList<AtomicWrite>)state!)
                {
                    _writing.TryRemove(new KeyValuePair<string, Task>(write.PersistenceId, done));
                }
            },
            writes,
            CancellationToken.None,
            // Not inline: the plugin completes a whole batch's writes on its writer's thread, and
            // work run there delays its next batch (measured: half the single-beat ingest).
            TaskContinuationOptions.None,
            TaskScheduler.Default);
        return written;
    }

    protected override void PostStop()
    {
        base.PostStop();
        _ = _highest.DisposeAsync().AsTask().ContinueWith(_ => _dataSource.Dispose(), TaskScheduler.Default);
    }

    private async Task<Dictionary<string, long>> HighestAsync(string query, string[] persistenceIds)
    {
        await using var command = _dataSource.CreateCommand(query);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = persistenceIds });
        var rows = new Dictionary<string, long>(persistenceIds.Length, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows[reader.GetString(0)] = reader.GetInt64(1);
        }

        return rows;
    }
}
