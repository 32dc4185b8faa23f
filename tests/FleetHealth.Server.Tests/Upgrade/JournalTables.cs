using Npgsql;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>One event row, in the columns both journals share (the old one's written_at as .NET ticks).</summary>
internal sealed record EventRow(long Ordering, string PersistenceId, long SequenceNr, string Manifest, string Payload, long CreatedTicks);

/// <summary>One snapshot row, in the columns both snapshot tables share.</summary>
internal sealed record SnapshotRow(string PersistenceId, long SequenceNr, string Manifest, string Payload, long CreatedTicks);

/// <summary>Reads the old runtime's tables and the Akka plugin's (payloads as text: they are JSON).</summary>
internal static class JournalTables
{
    /// <summary>The old journal, in ordering order.</summary>
    public static Task<List<EventRow>> LegacyEventsAsync(NpgsqlDataSource db) => EventsAsync(db, """
        SELECT ordering, persistence_id, sequence_nr, manifest, convert_from(payload, 'UTF8'), written_at FROM journal ORDER BY ordering
        """);

    /// <summary>akka.event_journal rows matching <paramref name="where"/>, in ordering order.</summary>
    public static Task<List<EventRow>> AkkaEventsAsync(NpgsqlDataSource db, string where) => EventsAsync(db, $"""
        SELECT ordering, persistence_id, sequence_number, manifest, convert_from(message, 'UTF8'), created FROM akka.event_journal WHERE {where} ORDER BY ordering
        """);

    public static Task<List<SnapshotRow>> LegacySnapshotsAsync(NpgsqlDataSource db) => SnapshotsAsync(db, """
        SELECT persistence_id, sequence_nr, manifest, convert_from(payload, 'UTF8'), created_at FROM snapshots ORDER BY persistence_id, sequence_nr
        """);

    public static Task<List<SnapshotRow>> AkkaSnapshotsAsync(NpgsqlDataSource db) => SnapshotsAsync(db, """
        SELECT persistence_id, sequence_number, manifest, convert_from(snapshot, 'UTF8'), created FROM akka.snapshot_store ORDER BY persistence_id, sequence_number
        """);

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var command = Command(db, sql, values);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var command = Command(db, sql, values);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<EventRow>> EventsAsync(NpgsqlDataSource db, string sql)
    {
        var rows = new List<EventRow>();
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new EventRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), Ticks(reader, 5)));
        }

        return rows;
    }

    private static async Task<List<SnapshotRow>> SnapshotsAsync(NpgsqlDataSource db, string sql)
    {
        var rows = new List<SnapshotRow>();
        await using var command = db.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new SnapshotRow(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), Ticks(reader, 4)));
        }

        return rows;
    }

    // The old tables hold timestamps, the plugin's hold DateTime ticks (UTC).
    private static long Ticks(NpgsqlDataReader reader, int column) =>
        reader.GetFieldType(column) == typeof(long) ? reader.GetInt64(column) : reader.GetFieldValue<DateTimeOffset>(column).UtcTicks;

    private static NpgsqlCommand Command(NpgsqlDataSource db, string sql, object[] values)
    {
        var command = db.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
