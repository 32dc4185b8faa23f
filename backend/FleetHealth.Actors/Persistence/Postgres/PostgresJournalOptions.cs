using Npgsql;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>
/// A check run inside each batch's transaction before its events are written (the place for a shard
/// lease's fencing check). It answers which writes must not be stored (an empty list: all may);
/// those fail with their reason and the rest of the batch is written and committed in the same
/// transaction, so the check and the writes it let through are atomic. Throwing fails every write
/// of the batch.
/// </summary>
public delegate ValueTask<IReadOnlyList<RefusedWrite>> BatchPrecondition(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AtomicWrite> batch, CancellationToken cancellationToken);

/// <summary>A write the <see cref="BatchPrecondition"/> refused: it is not stored and its writer gets <paramref name="Reason"/>.</summary>
public sealed record RefusedWrite(AtomicWrite Write, Exception Reason);

/// <summary>Settings of <see cref="PostgresJournal"/>.</summary>
public sealed record PostgresJournalOptions
{
    /// <summary>Atomic writes queued for the writer; beyond this, <see cref="PostgresJournal.WriteAsync"/> waits (back-pressure).</summary>
    public int BufferCapacity { get; init; } = 20_000;

    /// <summary>The writer stops draining the queue into one batch at this many events.</summary>
    public int MaxBatchEvents { get; init; } = 10_000;

    /// <summary>Optional check in every batch's transaction (see <see cref="BatchPrecondition"/>).</summary>
    public BatchPrecondition? BeforeBatch { get; init; }
}
