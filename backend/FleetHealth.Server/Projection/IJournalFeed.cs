namespace FleetHealth.Server.Projection;

/// <summary>
/// The journal's events in global ordering order, from after an offset, in batches: what the
/// read-model projection consumes: the projection's one seam to the engine. Implemented by
/// <see cref="AkkaJournalFeed"/> (Akka.Persistence.Query over the Sql journal); tests feed the
/// projection through it without an actor system of their own.
/// </summary>
/// <remarks>
/// The offset is the consumer's, not the feed's: the projection stores it in the read model's own
/// transaction and opens a new cursor from it whenever it (re)starts, so a feed keeps no position
/// of its own that could disagree with the read model.
/// </remarks>
public interface IJournalFeed
{
    /// <summary>
    /// Starts reading after <paramref name="offset"/> (0: from the beginning). The cursor assumes
    /// that every batch it hands out is applied before the next call; after a failure to apply,
    /// dispose it and open a new one from the stored offset.
    /// </summary>
    IJournalCursor OpenAfter(long offset);

    /// <summary>How far the journal is ahead of <paramref name="offset"/>, for a node that holds no cursor (not the projection's leader).</summary>
    ValueTask<FeedLag> LagAsync(long offset, CancellationToken cancellationToken);
}

/// <summary>A reading of an <see cref="IJournalFeed"/> from one offset on; owned by one consumer loop (not thread-safe).</summary>
public interface IJournalCursor : IAsyncDisposable
{
    /// <summary>
    /// The next batch, of at most <paramref name="maxEvents"/> events: the events after the
    /// previous batch (or the opening offset), in ordering order, each exactly once. Returns
    /// <see cref="JournalBatch.Idle"/> when nothing came for a while, so the caller can look after
    /// itself. Throws (an <see cref="InvalidOperationException"/> or an <see cref="Npgsql.NpgsqlException"/>)
    /// when the feed fails; the cursor is then spent.
    /// </summary>
    ValueTask<JournalBatch> NextAsync(int maxEvents, CancellationToken cancellationToken);

    /// <summary>How far the journal is ahead of <paramref name="appliedOffset"/>, as far as this cursor knows.</summary>
    ValueTask<FeedLag> LagAsync(long appliedOffset, CancellationToken cancellationToken);
}

/// <summary>
/// How far a journal is ahead of the read model: the newest ordering known, and when the oldest
/// event not yet applied was written (null: none known).
/// </summary>
public readonly record struct FeedLag(long Newest, DateTimeOffset? OldestUnapplied);
