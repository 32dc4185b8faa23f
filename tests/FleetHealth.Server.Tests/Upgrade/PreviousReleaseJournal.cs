using FleetHealth.Domain.Liveness;
using Npgsql;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>
/// The previous release's journal tables (migration 0002: <c>journal</c>, <c>snapshots</c>,
/// <c>journal_deletions</c>) written and read with the statements its journal used: what a
/// straggler node of that release would do to a database after the upgrade.
/// </summary>
internal sealed class PreviousReleaseJournal(NpgsqlDataSource db)
{
    /// <summary>Appends <paramref name="events"/> as numbers <paramref name="from"/>, +1, … in one transaction (an atomic write).</summary>
    public async Task WriteAsync(string persistenceId, long from, params SensorEvent[] events)
    {
        await using var batch = db.CreateBatch();
        for (var i = 0; i < events.Length; i++)
        {
            var payload = SensorPayloads.Serialize(events[i], out var manifest);
            batch.BatchCommands.Add(Command(
                "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, $2, $3, $4)",
                persistenceId, from + i, manifest, payload));
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task SaveSnapshotAsync(string persistenceId, long sequenceNr, SensorState state, DateTimeOffset at)
    {
        var payload = SensorPayloads.Serialize(state, out var manifest);
        await ExecuteAsync(
            "INSERT INTO snapshots (persistence_id, sequence_nr, manifest, payload, created_at) VALUES ($1, $2, $3, $4, $5)",
            persistenceId, sequenceNr, manifest, payload, at);
    }

    /// <summary>Deletes the stream's events up to <paramref name="toSequenceNr"/>, keeping its highest number in <c>journal_deletions</c>.</summary>
    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(
            """
            INSERT INTO journal_deletions (persistence_id, deleted_to) VALUES ($1, $2)
            ON CONFLICT (persistence_id) DO UPDATE SET deleted_to = greatest(journal_deletions.deleted_to, excluded.deleted_to)
            """,
            persistenceId, toSequenceNr));
        batch.BatchCommands.Add(Command("DELETE FROM journal WHERE persistence_id = $1 AND sequence_nr <= $2", persistenceId, toSequenceNr));
        await batch.ExecuteNonQueryAsync();
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId)
    {
        await using var command = db.CreateCommand("""
            SELECT greatest(
                (SELECT coalesce(max(sequence_nr), 0) FROM journal WHERE persistence_id = $1),
                (SELECT coalesce(max(deleted_to), 0) FROM journal_deletions WHERE persistence_id = $1))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = persistenceId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private async Task ExecuteAsync(string sql, params object[] values)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command(sql, values));
        await batch.ExecuteNonQueryAsync();
    }
}
