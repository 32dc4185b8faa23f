namespace FleetHealth.Server.Projection;

/// <summary>What an <see cref="IJournalCursor"/> hands the projection next.</summary>
public enum JournalBatchKind
{
    /// <summary>Nothing arrived for a while.</summary>
    Idle,

    /// <summary>The next events: apply them and move the offset to <see cref="JournalBatch.Through"/>.</summary>
    Events,
}

/// <summary>
/// One step of a journal feed. <see cref="Entries"/> are in ordering order and include other
/// streams' events (the projection passes over those but its offset moves past them).
/// </summary>
public sealed record JournalBatch(JournalBatchKind Kind, IReadOnlyList<JournalEntry> Entries, long Through)
{
    public static JournalBatch Idle { get; } = new(JournalBatchKind.Idle, [], 0);

    public static JournalBatch Next(IReadOnlyList<JournalEntry> entries) => new(JournalBatchKind.Events, entries, entries[^1].Ordering);
}
