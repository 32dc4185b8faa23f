using FleetHealth.Server.Sensors;
using Npgsql;

namespace FleetHealth.Server.Overview;

/// <summary>
/// How many sensors were in each state at evenly spaced moments, from the stored transitions
/// (<c>state_changes</c>) and today's rows (<c>sensors</c>).
/// </summary>
/// <remarks>
/// The state at t is each sensor's last transition at or before t ('registered' before its first),
/// counting only sensors known by t (registered or first heard from). Rather than look up that last
/// transition for every sensor at every moment (sensors × buckets index probes), the query starts
/// from today's counts and walks back: every transition after t is undone (its <c>from</c> gains one,
/// its <c>to</c> loses one), and a sensor known only after t is undone from 'registered' into a
/// pseudo-state 'unknown' that is not reported. So it reads the sensors once (a Seq Scan, as the
/// fleet counts do) and the window's transitions once (state_changes_time), and groups them by how
/// many bucket ends they come after. This relies on the projection writing a sensor's row and its
/// transitions in one transaction, so that today's status is the last transition's <c>to</c>; the
/// read is one snapshot, so a projection batch is wholly in it or wholly not.
/// </remarks>
internal sealed class StateTimelineQuery(NpgsqlDataSource dataSource)
{
    // j: the number of bucket ends strictly before the change (a transition at exactly a bucket end
    // is in force at that end); today's status is a "change" after every end (n + 1). A bucket k
    // then counts the changes with j > k.
    private const string Sql = """
        WITH p AS (
            SELECT $1::timestamptz - $2::interval * ($3 - 1) AS t0, extract(epoch FROM $2::interval) AS step,
                   extract(epoch FROM $1::timestamptz - $2::interval * ($3 - 1)) AS t0_epoch, $3::int AS n
        ),
        changes AS (
            SELECT least(p.n, ceil((extract(epoch FROM sc.at) - p.t0_epoch) / p.step))::int AS j, v.state, v.d
            FROM state_changes sc, p, LATERAL (VALUES (sc.from_status, 1), (sc.to_status, -1)) AS v(state, d)
            WHERE sc.at > p.t0
            UNION ALL
            SELECT v.j, v.state, v.d
            FROM sensors s, p,
                 LATERAL (SELECT coalesce(s.registered_at, s.first_seen) AS known_from) k,
                 LATERAL (VALUES (p.n + 1, s.status, 1),
                                 (CASE WHEN k.known_from > p.t0 THEN least(p.n, ceil((extract(epoch FROM k.known_from) - p.t0_epoch) / p.step))::int END, 'unknown', 1),
                                 (CASE WHEN k.known_from > p.t0 THEN least(p.n, ceil((extract(epoch FROM k.known_from) - p.t0_epoch) / p.step))::int END, 'registered', -1)) AS v(j, state, d)
            WHERE v.j IS NOT NULL
        ),
        grouped AS (
            SELECT j, state, sum(d) AS d FROM changes GROUP BY j, state
        )
        SELECT k, g.state, sum(g.d)::bigint
        FROM p, generate_series(0, p.n - 1) AS k
        JOIN grouped g ON g.j > k
        WHERE g.state <> 'unknown'
        GROUP BY k, g.state
        """;

    /// <summary>Counts per state at <paramref name="buckets"/> moments <paramref name="step"/> apart, the last at <paramref name="until"/>.</summary>
    public async Task<IReadOnlyList<StateCountsAt>> CountsAsync(DateTimeOffset until, TimeSpan step, int buckets, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>[buckets];
        for (var k = 0; k < buckets; k++)
        {
            counts[k] = SensorFilter.States.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        }

        await using (var command = dataSource.CreateCommand(Sql))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = until.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = step });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = buckets });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // A status outside the known ones (none today) is still counted, under its own name.
                counts[reader.GetInt32(0)][reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        return [.. counts.Select((c, k) => new StateCountsAt(until - (step * (buckets - 1 - k)), c))];
    }
}
