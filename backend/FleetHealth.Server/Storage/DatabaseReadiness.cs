namespace FleetHealth.Server.Storage;

/// <summary>Whether this node's migrations have been applied; ingestion and readiness wait on it.</summary>
public sealed class DatabaseReadiness
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompletedSuccessfully;

    public Task Migrated => _migrated.Task;

    internal void MarkMigrated() => _migrated.TrySetResult();
}
