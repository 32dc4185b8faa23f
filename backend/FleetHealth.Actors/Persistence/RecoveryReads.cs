namespace FleetHealth.Actors.Persistence;

/// <summary>One stream to read for recovery: its events from <paramref name="FromSequenceNr"/> on.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="FromSequenceNr">The first sequence number wanted (one after the snapshot's, or 1).</param>
public readonly record struct ReplayRequest(string PersistenceId, long FromSequenceNr)
{
    /// <summary>Each requested id once, with the lowest sequence number asked for it (what every journal reads).</summary>
    internal static Dictionary<string, long> LowestPerId(IReadOnlyCollection<ReplayRequest> requests)
    {
        var lowest = new Dictionary<string, long>(requests.Count, StringComparer.Ordinal);
        foreach (var request in requests)
        {
            lowest[request.PersistenceId] = lowest.TryGetValue(request.PersistenceId, out var from)
                ? Math.Min(from, request.FromSequenceNr)
                : request.FromSequenceNr;
        }

        return lowest;
    }
}

/// <summary>What recovery reads of one stream.</summary>
/// <param name="Events">The stored events from the requested sequence number on, in sequence order.</param>
/// <param name="HighestSequenceNr">The highest sequence number ever written to the stream (also after deletion), 0 if none.</param>
public sealed record ReplayedStream(IReadOnlyList<PersistentRepr> Events, long HighestSequenceNr)
{
    /// <summary>A stream that was never written.</summary>
    public static ReplayedStream Empty { get; } = new([], 0);
}
