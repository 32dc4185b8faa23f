using Npgsql;

namespace FleetHealth.Testing;

/// <summary>How far the read-model projection trails the journal, read from the database.</summary>
public static class ProjectionLag
{
    /// <summary>
    /// Journal events not yet applied by the read-model projection: the newest ordering minus its
    /// offset (<c>akka.event_journal</c>; a database upgraded from the previous release kept its
    /// orderings when its events moved there).
    /// </summary>
    public static async Task<long> EventsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT (SELECT coalesce(max(ordering), 0) FROM akka.event_journal)
                 - coalesce((SELECT "offset" FROM projection_offsets WHERE projection = 'read-model'), 0)
            """);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
