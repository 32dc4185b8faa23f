-- 4a. Availability % per sensor over [fleethealth.since, fleethealth.until): time healthy divided
--     by time observed. Observed time excludes spans before the first heartbeat (registered) and
--     while retired; fault, late, stale and dead count as unavailable.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.since', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) - interval '1 day') AS since,
           coalesce(nullif(current_setting('fleethealth.until', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now())) AS until,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
spans AS (
    SELECT sc.sensor_id, sc.to_status AS status,
           greatest(sc.at, p.since) AS start_at,
           least(coalesce(lead(sc.at) OVER (PARTITION BY sc.sensor_id ORDER BY sc.at, sc.id), p.until), p.until, p.as_of) AS end_at
    FROM state_changes sc, params p
    WHERE sc.at < p.until AND sc.at <= p.as_of
),
per_sensor AS (
    SELECT sensor_id,
           coalesce(sum(extract(epoch FROM end_at - start_at)) FILTER (WHERE status = 'healthy'), 0) AS healthy_seconds,
           coalesce(sum(extract(epoch FROM end_at - start_at)) FILTER (WHERE status NOT IN ('registered', 'retired')), 0) AS observed_seconds
    FROM spans
    WHERE end_at > start_at
    GROUP BY sensor_id
)
SELECT sensor_id, healthy_seconds, observed_seconds,
       round(100 * healthy_seconds / nullif(observed_seconds, 0), 4) AS availability_pct
FROM per_sensor
WHERE observed_seconds > 0
ORDER BY availability_pct, sensor_id;
