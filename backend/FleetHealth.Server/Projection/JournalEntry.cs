using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Projection;

/// <summary>
/// One journal event as the projection sees it, from either journal: its global ordering, its
/// stream and sequence number there, when it was written, and the sensor event (null for streams
/// that are not sensors', which the projection passes over). <paramref name="ContinuesWrite"/>: the
/// stream's next event belongs to the same atomic write (<see cref="AtomicWriteMarks"/>), so no batch
/// may end after this one.
/// </summary>
public sealed record JournalEntry(long Ordering, string PersistenceId, SensorEvent? Event, DateTimeOffset WrittenAt, long SequenceNr = 0, bool ContinuesWrite = false)
{
    /// <summary>The sensor event with its sensor id and position, or null for other streams.</summary>
    public ProjectedEvent? Projected => Event is null ? null : new ProjectedEvent(Ordering, PersistenceId[SensorActor.PersistenceIdPrefix.Length..], Event, SequenceNr);
}
