using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace FleetHealth.Fleet.Tests;

/// <summary>
/// Akka's in-memory journal, except for streams whose persistence id contains "fail" (every write
/// fails: a journal outage) or "reject" (every write is rejected, as for an unserializable event),
/// and for a write whose sequence number its stream already holds: it fails, as Akka.Persistence.Sql's
/// unique key (persistence_id, sequence_number) fails the batch's transaction (a second writer).
/// </summary>
public sealed class FailingJournal : MemoryJournal
{
    protected override async Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        if (writes.Any(w => w.PersistenceId.Contains("fail", StringComparison.Ordinal)))
        {
            throw new JournalDownException();
        }

        if (writes.Any(w => w.PersistenceId.Contains("reject", StringComparison.Ordinal)))
        {
            return writes.Select(_ => (Exception)new JournalDownException()).ToImmutableList();
        }

        foreach (var write in writes)
        {
            if (write.LowestSequenceNr <= await ReadHighestSequenceNrAsync(write.PersistenceId, 0, cancellationToken))
            {
                throw new StreamConflictException(write.PersistenceId, write.LowestSequenceNr);
            }
        }

        return await base.WriteMessagesAsync(writes, cancellationToken);
    }
}

public sealed class JournalDownException() : Exception("journal down (test)");

public sealed class StreamConflictException(string persistenceId, long sequenceNr)
    : Exception($"{persistenceId} already holds sequence number {sequenceNr} (test)");
