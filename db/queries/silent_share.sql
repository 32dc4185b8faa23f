-- 1. Share and count of sensors watched at fleethealth.as_of (known by then and not retired then)
--    with no heartbeat for more than fleethealth.silent_after (default 10 minutes) at that moment,
--    for the fleet (tag null) and per tag.
--    Point in time: a sensor counts only from its registration (or first heartbeat), its status
--    is the last transition at or before as_of, and its last heartbeat is the last one received at
--    or before as_of (a sensor heard since still counts as silent then). A sensor never heard from
--    counts from its registration. Tags are the sensors' current tags (their history is not kept).
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.silent_after', true), '')::interval, interval '10 minutes') AS silent_after,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
known AS (
    SELECT s.sensor_id, s.tags, coalesce(s.registered_at, s.first_seen) AS known_from, p.as_of, p.as_of - p.silent_after AS threshold,
           -- The read model's row is the answer when nothing changed since as_of; only the others look back.
           CASE WHEN s.status_since <= p.as_of THEN s.status
                ELSE coalesce((SELECT sc.to_status FROM state_changes sc
                               WHERE sc.sensor_id = s.sensor_id AND sc.at <= p.as_of
                               ORDER BY sc.at DESC, sc.id DESC LIMIT 1), 'registered') END AS status,
           CASE WHEN s.last_seen IS NULL OR s.last_seen <= p.as_of THEN s.last_seen
                ELSE (SELECT max(h.received_at) FROM heartbeats h
                      WHERE h.sensor_id = s.sensor_id AND h.received_at >= p.as_of - p.silent_after AND h.received_at <= p.as_of) END AS last_beat
    FROM sensors s, params p
    WHERE coalesce(s.registered_at, s.first_seen) <= p.as_of
),
watched AS (
    SELECT sensor_id, tags, coalesce(last_beat, known_from) < threshold AS silent
    FROM known
    WHERE status <> 'retired'
),
per_scope AS (
    SELECT NULL::text AS tag, count(*) AS sensors, count(*) FILTER (WHERE silent) AS silent FROM watched
    UNION ALL
    SELECT tag, count(*), count(*) FILTER (WHERE silent) FROM watched, unnest(tags) AS tag GROUP BY tag
)
SELECT tag, sensors, silent,
       coalesce(round(silent::numeric / nullif(sensors, 0), 6), 0) AS silent_share
FROM per_scope
ORDER BY tag NULLS FIRST;
