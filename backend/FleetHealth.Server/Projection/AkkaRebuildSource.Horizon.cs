using System.Diagnostics;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>The rebuild's horizon on the Akka journal: an ordering below which every write has ended.</summary>
public sealed partial class AkkaRebuildSource
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The journal's highest committed ordering H, returned once every transaction that was writing
    /// when H was read has ended. An ordering is taken when a write's INSERT runs and visible at its
    /// commit, and orderings are handed out in increasing order, so any ordering below H belongs to
    /// a transaction that had started by then: committed (visible), in progress (waited for here),
    /// or rolled back. After the wait every ordering up to H is final: the rebuild reads them all
    /// and sets the offset to H, and the live feed delivers everything above H (holes there are its
    /// own business), so nothing is missed or applied twice.
    /// </summary>
    /// <remarks>
    /// Writers are the snapshot's in-progress transaction ids (read-only sessions have none, so a
    /// long query does not hold this up; any writer does, journal or not). A second round waits for
    /// the writers seen after the first: a transaction gets its id at its first row, a moment after
    /// it took its ordering, and could have been missed by the first look. Runs before the rebuild
    /// locks anything (the projection, which writes the rows the rebuild deletes, is among the
    /// writers waited for). Fails with <see cref="TimeoutException"/> after <paramref name="patience"/>.
    /// </remarks>
    public async Task<long?> SettleAsync(NpgsqlConnection connection, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var (horizon, writers) = await HeadAsync(connection, cancellationToken);
        await WaitForAsync(connection, writers, deadline, patience, cancellationToken);
        var (_, later) = await HeadAsync(connection, cancellationToken);
        await WaitForAsync(connection, later, deadline, patience, cancellationToken);
        return horizon;
    }

    private static async Task<(long Horizon, long[] Writers)> HeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // One statement, one snapshot: the writers in progress when this maximum was the newest committed.
        await using var command = new NpgsqlCommand($"""
            SELECT coalesce((SELECT max(ordering) FROM {Journal}), 0),
                   ARRAY(SELECT x::text::bigint FROM pg_snapshot_xip(pg_current_snapshot()) AS x)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetFieldValue<long[]>(1));
    }

    private static async Task WaitForAsync(NpgsqlConnection connection, long[] writers, Stopwatch deadline, TimeSpan patience, CancellationToken cancellationToken)
    {
        while (writers.Length > 0)
        {
            await using (var command = new NpgsqlCommand(
                "SELECT coalesce(array_agg(x), '{}') FROM unnest($1::bigint[]) AS x WHERE pg_xact_status(x::text::xid8) = 'in progress'", connection))
            {
                command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = writers });
                writers = (long[])(await command.ExecuteScalarAsync(cancellationToken))!;
            }

            if (writers.Length == 0)
            {
                return;
            }

            if (deadline.Elapsed > patience)
            {
                throw new TimeoutException(
                    $"The rebuild waited {patience} for transactions {string.Join(", ", writers)} to end (writes in flight below its horizon); nothing was changed.");
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }
}
