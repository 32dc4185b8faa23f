using FleetHealth.Domain.Liveness;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>Reading and writing the <c>sensors</c> rows a batch touches, all of them in one statement each way.</summary>
public sealed partial class ReadModelWriter
{
    // The rows travel as 15 parallel arrays; tags as one comma-joined string per row (the tag
    // alphabet has no comma), since unnest() cannot hand out the rows of a two-dimensional array.
    private const string RowsFromParameters = """
        unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::bigint[], $8::text[],
               $9::float8[], $10::float8[], $11::bigint[], $12::float8[], $13::float8[], $14::bigint[], $15::timestamptz[])
            AS r(id, status, since, registered, first_seen, last_seen, beats, tags, interval_s, grace_s, n, mean, m2, lost, retired)
        """;

    private const string TagsOfRow = "CASE WHEN r.tags = '' THEN '{}'::text[] ELSE string_to_array(r.tags, ',') END";

    private static async Task LoadRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, Dictionary<string, SensorRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT sensor_id, status, status_since, registered_at, first_seen, last_seen, heartbeat_count, tags,
                   interval_seconds, grace_seconds, interval_count, interval_mean_seconds, interval_m2, lost_beats, retired_at
            FROM sensors WHERE sensor_id = ANY($1)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            rows[id] = new SensorRow(id)
            {
                Status = reader.GetString(1),
                StatusSince = Time(reader, 2),
                RegisteredAt = Time(reader, 3),
                History = new BeatHistory(Time(reader, 4), Time(reader, 5), reader.GetInt64(6),
                    new IntervalStats(reader.GetInt64(10), reader.GetDouble(11), reader.GetDouble(12)), reader.GetInt64(13)),
                Tags = reader.GetFieldValue<string[]>(7),
                IntervalSeconds = reader.IsDBNull(8) ? null : reader.GetDouble(8),
                GraceSeconds = reader.IsDBNull(9) ? null : reader.GetDouble(9),
                RetiredAt = Time(reader, 14),
            };
        }
    }

    /// <summary>
    /// Writes <paramref name="rows"/>: those whose ids are in <paramref name="stored"/> (read back
    /// or remembered, so already in the table) by a plain UPDATE, the others by an upsert.
    /// </summary>
    /// <remarks>
    /// An UPDATE of existing rows costs PostgreSQL about 30 % less than the same rows through
    /// INSERT … ON CONFLICT DO UPDATE, which first tries an insert, then locks the conflicting row
    /// (a WAL record of its own) before updating it (measured: 40 batches of 5,000 of 46,251 rows,
    /// 2.4–2.8 s against 3.4–4.0 s). Should a stored row be gone after all (deleted by hand), the
    /// UPDATE's count falls short and the stored rows go through the upsert as well, in the same
    /// transaction.
    /// </remarks>
    private static async Task WriteRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<SensorRow> rows, IReadOnlySet<string> stored, CancellationToken cancellationToken)
    {
        SensorRow[] existing = [.. rows.Where(r => stored.Contains(r.SensorId))];
        SensorRow[] fresh = [.. rows.Where(r => !stored.Contains(r.SensorId))];
        if (existing.Length > 0 && await UpdateRowsAsync(connection, transaction, existing, cancellationToken) != existing.Length)
        {
            await UpsertRowsAsync(connection, transaction, existing, cancellationToken);
        }

        if (fresh.Length > 0)
        {
            await UpsertRowsAsync(connection, transaction, fresh, cancellationToken);
        }
    }

    private static async Task<int> UpdateRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SensorRow[] rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE sensors AS s SET
                status = r.status, status_since = r.since, registered_at = r.registered, first_seen = r.first_seen,
                last_seen = r.last_seen, heartbeat_count = r.beats, tags = {TagsOfRow}, interval_seconds = r.interval_s,
                grace_seconds = r.grace_s, interval_count = r.n, interval_mean_seconds = r.mean, interval_m2 = r.m2,
                lost_beats = r.lost, retired_at = r.retired
            FROM {RowsFromParameters}
            WHERE s.sensor_id = r.id
            """, connection, transaction);
        AddRowParameters(command, rows);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task UpsertRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SensorRow[] rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO sensors (sensor_id, status, status_since, registered_at, first_seen, last_seen, heartbeat_count, tags,
                                 interval_seconds, grace_seconds, interval_count, interval_mean_seconds, interval_m2, lost_beats, retired_at)
            SELECT r.id, r.status, r.since, r.registered, r.first_seen, r.last_seen, r.beats, {TagsOfRow},
                   r.interval_s, r.grace_s, r.n, r.mean, r.m2, r.lost, r.retired
            FROM {RowsFromParameters}
            ON CONFLICT (sensor_id) DO UPDATE SET
                status = excluded.status, status_since = excluded.status_since, registered_at = excluded.registered_at,
                first_seen = excluded.first_seen, last_seen = excluded.last_seen, heartbeat_count = excluded.heartbeat_count,
                tags = excluded.tags, interval_seconds = excluded.interval_seconds, grace_seconds = excluded.grace_seconds,
                interval_count = excluded.interval_count, interval_mean_seconds = excluded.interval_mean_seconds,
                interval_m2 = excluded.interval_m2, lost_beats = excluded.lost_beats, retired_at = excluded.retired_at
            """, connection, transaction);
        AddRowParameters(command, rows);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddRowParameters(NpgsqlCommand command, SensorRow[] rows)
    {
        command.Parameters.Add(Array(rows, r => r.SensorId));
        command.Parameters.Add(Array(rows, r => r.Status));
        command.Parameters.Add(Array(rows, r => r.StatusSince));
        command.Parameters.Add(Array(rows, r => r.RegisteredAt));
        command.Parameters.Add(Array(rows, r => r.History.FirstSeen));
        command.Parameters.Add(Array(rows, r => r.History.LastSeen));
        command.Parameters.Add(Array(rows, r => r.History.Count));
        command.Parameters.Add(Array(rows, r => string.Join(',', r.Tags)));
        command.Parameters.Add(Array(rows, r => r.IntervalSeconds));
        command.Parameters.Add(Array(rows, r => r.GraceSeconds));
        command.Parameters.Add(Array(rows, r => r.History.Intervals.Count));
        command.Parameters.Add(Array(rows, r => r.History.Intervals.MeanSeconds));
        command.Parameters.Add(Array(rows, r => r.History.Intervals.M2));
        command.Parameters.Add(Array(rows, r => r.History.LostBeats));
        command.Parameters.Add(Array(rows, r => r.RetiredAt));
    }

    private static NpgsqlParameter Array<T>(SensorRow[] rows, Func<SensorRow, T> column) => new() { Value = rows.Select(column).ToArray() };

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
