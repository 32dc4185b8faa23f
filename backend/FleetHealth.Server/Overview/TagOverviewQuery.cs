using Npgsql;

namespace FleetHealth.Server.Overview;

/// <summary>
/// Every tag with its sensors' counts per state and its share silent, worst first, a page at a time.
/// Silent has silent_share's meaning (db/queries/silent_share.sql) at the fleet's now: a watched
/// sensor (known, not retired) with no heartbeat for longer than <c>silentAfter</c>.
/// </summary>
/// <remarks>
/// One pass over the sensors (Seq Scan with unnest, a HashAggregate per tag), then a sort of the
/// tags: a fleet has far fewer tags than sensors, so offset paging over the sorted tags costs the
/// same on every page and stays consistent between pages as long as the counts do.
/// </remarks>
internal sealed class TagOverviewQuery(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        WITH tagged AS (
            SELECT tag, s.status,
                   s.status <> 'retired' AND coalesce(s.registered_at, s.first_seen) <= $1 AS watched,
                   coalesce(s.last_seen, s.registered_at, s.first_seen) < $1 - $2::interval AS quiet
            FROM sensors s, unnest(s.tags) AS tag
        ),
        per_tag AS (
            SELECT tag, count(*) AS sensors,
                   count(*) FILTER (WHERE watched) AS watched,
                   count(*) FILTER (WHERE watched AND quiet) AS silent,
                   count(*) FILTER (WHERE status NOT IN ('healthy', 'registered', 'retired')) AS troubled,
                   count(*) FILTER (WHERE status = 'registered') AS registered,
                   count(*) FILTER (WHERE status = 'healthy') AS healthy,
                   count(*) FILTER (WHERE status = 'fault') AS fault,
                   count(*) FILTER (WHERE status = 'late') AS late,
                   count(*) FILTER (WHERE status = 'stale') AS stale,
                   count(*) FILTER (WHERE status = 'dead') AS dead,
                   count(*) FILTER (WHERE status = 'retired') AS retired
            FROM tagged GROUP BY tag
        )
        SELECT tag, sensors, watched, silent, registered, healthy, fault, late, stale, dead, retired,
               coalesce(silent::float8 / nullif(watched, 0), 0) AS silent_share,
               count(*) OVER () AS total
        FROM per_tag
        ORDER BY silent_share DESC, troubled::float8 / sensors DESC, sensors DESC, tag
        LIMIT $3 OFFSET $4
        """;

    // The order of SensorFilter.States, as the query selects them.
    private static readonly string[] StateColumns = ["registered", "healthy", "fault", "late", "stale", "dead", "retired"];

    public async Task<TagOverviewPage> PageAsync(DateTimeOffset now, TimeSpan silentAfter, int limit, int offset, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = silentAfter });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var items = new List<TagOverviewRow>();
        long total = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var counts = new Dictionary<string, long>(StringComparer.Ordinal);
                for (var i = 0; i < StateColumns.Length; i++)
                {
                    counts[StateColumns[i]] = reader.GetInt64(4 + i);
                }

                items.Add(new TagOverviewRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(11), counts));
                total = reader.GetInt64(12);
            }
        }

        // A page past the end has no row to carry the total: count the tags on their own.
        if (items.Count == 0 && offset > 0)
        {
            await using var count = dataSource.CreateCommand("SELECT count(DISTINCT tag) FROM sensors, unnest(tags) AS tag");
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        return new TagOverviewPage(total, offset, limit, silentAfter.TotalSeconds, items);
    }
}
