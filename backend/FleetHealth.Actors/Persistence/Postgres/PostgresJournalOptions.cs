using Npgsql;

namespace FleetHealth.Actors.Persistence.Postgres;

/// <summary>
/// A check run inside each batch's transaction before its events are written (the place for a shard
/// lease's fencing check). Throwing fails every write of the batch.
/// </summary>
public delegate ValueTask BatchPrecondition(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AtomicWrite> batch, CancellationToken cancellationToken);

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
