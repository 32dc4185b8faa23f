namespace FleetHealth.Server.Projection;

/// <summary>
/// A projection's offset row is not as this writer left it: another instance applied batches, or a
/// rebuild replaced the read model. The writer's view (its offset, its cached rows) is stale; it
/// must read the offset again and start over.
/// </summary>
public sealed class ProjectionOffsetMovedException(string projection, long expected)
    : InvalidOperationException($"Projection '{projection}' is not where this writer left it (offset {expected}): another instance or a rebuild moved it.");
