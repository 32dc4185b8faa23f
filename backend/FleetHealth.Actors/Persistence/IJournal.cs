namespace FleetHealth.Actors.Persistence;

/// <summary>
/// Event storage. Contract (checked by the journal contract tests for every implementation):
/// a completed <see cref="WriteAsync"/> is durable (as durable as the store) and atomic; a write
/// whose (persistence id, sequence number) already exists fails with
/// <see cref="JournalConflictException"/> and stores none of its events; replay returns events in
/// sequence order; the highest sequence number survives deletion.
/// </summary>
public interface IJournal
{
    /// <summary>Stores all events of <paramref name="write"/> or none. Completes when they are durable.</summary>
    /// <exception cref="JournalConflictException">Another writer already wrote one of these sequence numbers.</exception>
    Task WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onEvent"/> for each stored event of the id within the inclusive range, in
    /// order. Reads one stream (tools and tests inspect streams with it); recovery uses <see cref="ReplayManyAsync"/>.
    /// </summary>
    Task ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence number ever written for the id (also after deletion), 0 if none.</summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recovery's read of many streams at once (a node waking thousands of actors reads them in a few
    /// round trips, not three each): for every requested id, its events from the requested sequence
    /// number on, in order, and its highest sequence number ever written. Every requested id has an
    /// entry, an unknown one <see cref="ReplayedStream.Empty"/>; an id requested twice is read from the
    /// lower sequence number.
    /// </summary>
    Task<IReadOnlyDictionary<string, ReplayedStream>> ReplayManyAsync(IReadOnlyCollection<ReplayRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Deletes the id's events up to and including <paramref name="toSequenceNr"/> (for example behind a snapshot).</summary>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}

/// <summary>The write collided with an existing (persistence id, sequence number): two writers for one id.</summary>
public sealed class JournalConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JournalConflictException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JournalConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
