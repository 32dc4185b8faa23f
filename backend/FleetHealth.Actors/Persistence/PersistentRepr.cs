namespace FleetHealth.Actors.Persistence;

/// <summary>One serialized event as the journal stores it.</summary>
/// <param name="PersistenceId">The writer's identity; one live writer per id.</param>
/// <param name="SequenceNr">1, 2, 3… per persistence id, without gaps in what one writer writes.</param>
/// <param name="Manifest">The event type's stable name (see <see cref="EventSerializer"/>).</param>
/// <param name="Payload">UTF-8 JSON of the event.</param>
/// <param name="Tags">Labels for queries by tag (may be empty).</param>
/// <param name="WrittenAt">When the journal stored it (set by the journal on read; ignored on write).</param>
public sealed record PersistentRepr(
    string PersistenceId,
    long SequenceNr,
    string Manifest,
    byte[] Payload,
    string[] Tags,
    DateTimeOffset? WrittenAt = null);

/// <summary>
/// The events of one Persist/PersistAll turn of one actor: the journal stores all of them or none,
/// and they become visible together.
/// </summary>
public sealed class AtomicWrite
{
    /// <summary>Validates that all events share the persistence id and have consecutive sequence numbers.</summary>
    public AtomicWrite(IReadOnlyList<PersistentRepr> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An atomic write needs at least one event.", nameof(events));
        }

        PersistenceId = events[0].PersistenceId;
        for (var i = 1; i < events.Count; i++)
        {
            if (events[i].PersistenceId != PersistenceId || events[i].SequenceNr != events[0].SequenceNr + i)
            {
                throw new ArgumentException("An atomic write holds consecutive events of one persistence id.", nameof(events));
            }
        }

        Events = events;
    }

    /// <summary>The writer.</summary>
    public string PersistenceId { get; }

    /// <summary>The events, in sequence order.</summary>
    public IReadOnlyList<PersistentRepr> Events { get; }

    /// <summary>Sequence number of the first event.</summary>
    public long LowestSequenceNr => Events[0].SequenceNr;

    /// <summary>Sequence number of the last event.</summary>
    public long HighestSequenceNr => Events[^1].SequenceNr;
}
