namespace FleetHealth.Server.Cluster;

/// <summary>
/// The entities a <see cref="ShardRegion"/> hosts (here: sensor actors), as the cluster sees them:
/// addressed by entity id, asked, stopped by shard, and woken after their shard arrives.
/// </summary>
public interface IShardedEntities
{
    /// <summary>Whether <paramref name="entityId"/> is a well-formed id (checked on the internal channel; <paramref name="error"/> says why not).</summary>
    bool IsValidEntityId(string entityId, out string? error);

    /// <summary>The entity id behind a journal stream, or null for a stream that is not sharded.</summary>
    string? EntityIdOf(string persistenceId);

    /// <summary>Asks the local entity (created if need be); completes with its reply.</summary>
    Task<object> AskAsync(string entityId, object message, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Asks the local entity only if it is in memory; null if it is not (reads must not create entities).</summary>
    Task<object?> AskIfResidentAsync(string entityId, object message, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Stops the resident entities whose id matches, gracefully: queued messages and in-flight persists finish first.</summary>
    Task StopAsync(Func<string, bool> entityIdFilter);

    /// <summary>Entities of these shards that must be in memory to keep their timers (e.g. sensors with a deadline).</summary>
    IAsyncEnumerable<string> SleepersAsync(IReadOnlyCollection<int> shards, int shardCount, CancellationToken cancellationToken);

    /// <summary>Brings the entity into memory (it recovers and re-arms its timers).</summary>
    void Wake(string entityId);
}
