using Npgsql;

namespace FleetHealth.Testing;

/// <summary>How far the read-model projection trails the journal, read from the database.</summary>
public static class ProjectionLag
{
    /// <summary>Journal events not yet applied by the read-model projection (newest ordering minus its offset).</summary>
    public static async Task<long> EventsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT (SELECT coalesce(max(ordering), 0) FROM journal) - coalesce((SELECT "offset" FROM projection_offsets WHERE projection = 'read-model'), 0)
            """);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The same for the Akka.NET engine's journal (Akka.Persistence.Sql's table, migration 0014).</summary>
    public static async Task<long> AkkaEventsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT (SELECT coalesce(max(ordering), 0) FROM akka.event_journal) - coalesce((SELECT "offset" FROM projection_offsets WHERE projection = 'read-model'), 0)
            """);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
