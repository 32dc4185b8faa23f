namespace FleetHealth.Server.Projection;

/// <summary>How far the read model is behind the journal, as last observed by this node.</summary>
/// <param name="Leader">Whether this node runs the projection (one node does, by an advisory lock).</param>
/// <param name="Offset">The journal ordering applied up to.</param>
/// <param name="Newest">The newest ordering in the journal.</param>
/// <param name="LagEvents">Newest minus offset.</param>
/// <param name="OldestUnappliedAgeMs">Age of the oldest event not yet applied; 0 when caught up.</param>
/// <param name="LastError">The latest failure, if the projection is retrying.</param>
public sealed record ProjectionStatus(bool Leader, long Offset, long Newest, long LagEvents, double OldestUnappliedAgeMs, string? LastError);
