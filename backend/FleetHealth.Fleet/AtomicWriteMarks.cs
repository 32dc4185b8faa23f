using Akka.Persistence.Journal;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// How a reader of the journal tells where a sensor's atomic write ends: every event of a
/// <c>PersistAll</c> but its last carries the journal tag <see cref="Continues"/> ("the next event
/// of this stream belongs to the same write"). Single-event writes, the heartbeat's usual case, carry
/// no tag at all.
/// </summary>
/// <remarks>
/// Why a mark written by the sensor rather than something the journal already has: Akka.Persistence.Sql
/// writes one <c>AtomicWrite</c> in one transaction, but its rows' orderings need not be consecutive
/// (two write batches run at once, <c>Journal:Parallelism</c>, and every node writes too, so their
/// identity values interleave), a read-journal page can end anywhere, and the envelope tells neither
/// the write's size nor its end. Only the writer knows the count, so it says so on the row, with the
/// plugin's own tags (the <c>tags</c> column, tag-write-mode Csv; delivered in every envelope).
/// Marking the events that continue, not the last one, keeps every row written without the mark
/// (the previous release's journal carried over, or written before this mark existed) a whole write
/// on its own, which is how such rows were always projected.
/// </remarks>
public static class AtomicWriteMarks
{
    /// <summary>The tag of an event whose stream's next event is part of the same atomic write.</summary>
    public const string Continues = "write-continues";

    /// <summary><paramref name="events"/> as one <c>PersistAll</c> writes them: all but the last tagged <see cref="Continues"/>.</summary>
    public static IEnumerable<object> Mark(IReadOnlyList<SensorEvent> events)
    {
        for (var i = 0; i < events.Count; i++)
        {
            yield return i < events.Count - 1 ? new Tagged(events[i], [Continues]) : events[i];
        }
    }

    /// <summary>The sensor event of what <see cref="Mark"/> gave (as Akka hands it to the persist handler).</summary>
    public static SensorEvent Unmark(object persisted) => (SensorEvent)(persisted is Tagged tagged ? tagged.Payload : persisted);
}
