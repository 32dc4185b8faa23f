-- 2. Mean, median and p95 of the interval between consecutive heartbeats (seconds) for heartbeats
--    received in [fleethealth.since, fleethealth.until): the fleet, each tag, each sensor.
--    An interval belongs to the later of its two heartbeats.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.since', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) - interval '1 day') AS since,
           coalesce(nullif(current_setting('fleethealth.until', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now())) AS until,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
beats AS (
    SELECT h.sensor_id, h.interval_seconds
    FROM heartbeats h, params p
    WHERE h.received_at >= p.since AND h.received_at < p.until AND h.interval_seconds IS NOT NULL
)
SELECT 'fleet' AS scope, NULL::text AS key, count(*) AS intervals,
       avg(interval_seconds) AS mean_seconds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY interval_seconds) AS median_seconds,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY interval_seconds) AS p95_seconds
FROM beats
UNION ALL
SELECT 'tag', tag, count(*), avg(b.interval_seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY b.interval_seconds),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY b.interval_seconds)
FROM beats b JOIN sensors s USING (sensor_id), unnest(s.tags) AS tag
GROUP BY tag
UNION ALL
SELECT 'sensor', sensor_id, count(*), avg(interval_seconds),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY interval_seconds),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY interval_seconds)
FROM beats
GROUP BY sensor_id
ORDER BY 1, 2 NULLS FIRST;
