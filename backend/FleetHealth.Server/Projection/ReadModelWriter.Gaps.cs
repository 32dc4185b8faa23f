using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Holes in the journal's ordering that the projection passed over (table projection_gaps,
/// migration 0010): recorded with the offset that passes them, applied if their write commits later.
/// </summary>
public sealed partial class ReadModelWriter
{
    /// <summary>
    /// Moves the offset from <paramref name="expectedOffset"/> to <paramref name="skipTo"/> over
    /// orderings that are not (yet) in the journal, remembering each of them as an open gap.
    /// </summary>
    public async Task SkipAsync(string projection, long expectedOffset, long skipTo, CancellationToken cancellationToken, SensorRowCache? cache = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stamp = await ClaimOffsetAsync(connection, transaction, projection, expectedOffset, skipTo, cache, cancellationToken);
        await RecordGapsAsync(connection, transaction, projection, expectedOffset + 1, skipTo, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache?.Committed([], stamp);
    }

    /// <summary>
    /// Applies events that appeared in open gaps (their writes committed late) and closes those gaps,
    /// in one transaction that also checks the offset is still <paramref name="offset"/> (no other leader).
    /// </summary>
    public async Task ApplyLateAsync(string projection, long offset, IReadOnlyList<JournalEntry> late, CancellationToken cancellationToken, SensorRowCache? cache = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stamp = await ClaimOffsetAsync(connection, transaction, projection, offset, offset, cache, cancellationToken);
        var (rows, changes) = await ApplyEventsAsync(connection, transaction, Projectable(late), new Replay(DateTimeOffset.MinValue), cache, cancellationToken);
        await WriteOutboxesAsync(connection, transaction, changes, cancellationToken);
        await using (var close = new NpgsqlCommand("DELETE FROM projection_gaps WHERE projection = $1 AND ordering = ANY($2)", connection, transaction))
        {
            close.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
            close.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. late.Select(e => e.Ordering)] });
            await close.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        cache?.Committed(rows, stamp);
        Notify(rows);
    }

    /// <summary>Forgets gaps older than <paramref name="retention"/> (rolled-back writes); returns how many are still open.</summary>
    public async Task<long> ExpireGapsAsync(string projection, TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH expired AS (
                DELETE FROM projection_gaps WHERE projection = $1 AND skipped_at < now() - $2 RETURNING 1)
            SELECT count(*) - (SELECT count(*) FROM expired) FROM projection_gaps WHERE projection = $1
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = retention });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task RecordGapsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string projection, long from, long to, CancellationToken cancellationToken)
    {
        await using var record = new NpgsqlCommand(
            "INSERT INTO projection_gaps (projection, ordering) SELECT $1, o FROM generate_series($2::bigint, $3::bigint) AS o ON CONFLICT DO NOTHING",
            connection,
            transaction);
        record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection });
        record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = from });
        record.Parameters.Add(new NpgsqlParameter<long> { TypedValue = to });
        await record.ExecuteNonQueryAsync(cancellationToken);
    }
}
