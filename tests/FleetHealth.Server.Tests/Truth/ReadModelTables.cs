namespace FleetHealth.Server.Tests.Truth;

/// <summary>The read model's content as one string, for "identical tables" comparisons (ids and identity columns left out).</summary>
internal static class ReadModelTables
{
    public const string Snapshot = """
        SELECT 's' || coalesce((SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', sensor_id, status, status_since, registered_at,
                                        first_seen, last_seen, heartbeat_count, tags, interval_seconds, grace_seconds, interval_count,
                                        round(interval_mean_seconds::numeric, 6), round(interval_m2::numeric, 3), lost_beats, retired_at), ';' ORDER BY sensor_id) FROM sensors), '')
          || 'h' || coalesce((SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', sensor_id, received_at, sent_at, sequence, status, battery, signal,
                                        skew_flagged, interval_seconds, lost_before), ';' ORDER BY sensor_id, received_at) FROM heartbeats), '')
          || 'c' || coalesce((SELECT string_agg(format('%s|%s|%s|%s|%s|%s', sensor_id, from_status, to_status, at, reason, sequence_nr), ';' ORDER BY sensor_id, at, sequence_nr) FROM state_changes), '')
        """;
}
