using Npgsql;

namespace FleetHealth.Bench.Projection;

/// <summary>The Sql journal's rows written within a time window (by their <c>created</c> ticks), in ordering order: the benchmark's measurement, after the run.</summary>
internal static class JournalEvents
{
    public static async Task<List<Row>> ReadAsync(BenchDatabase database, long fromTicks, long toTicks)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT ordering, created, persistence_id, sequence_number FROM akka.event_journal WHERE created >= $1 AND created < $2 ORDER BY ordering");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = fromTicks });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = toTicks });
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return rows;
    }

    public sealed record Row(long Ordering, long Created, string PersistenceId, long SequenceNr);
}
