-- 1. Share and count of non-retired sensors with no heartbeat for more than fleethealth.silent_after
--    (default 10 minutes) at fleethealth.as_of (default now), for the fleet (tag null) and per tag.
--    A sensor never heard from counts from its registration.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.silent_after', true), '')::interval, interval '10 minutes') AS silent_after,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
watched AS (
    SELECT s.sensor_id, s.tags,
           coalesce(s.last_seen, s.registered_at, s.first_seen) < p.as_of - p.silent_after AS silent
    FROM sensors s, params p
    WHERE s.status <> 'retired'
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
