-- 5b. Lost-beat rate from sequence gaps for heartbeats received in [fleethealth.since,
--     fleethealth.until): lost / (lost + received), for the fleet (sensor_id null) and per sensor.
--     Only heartbeats that carry a sequence number count; a reboot's reset is not a loss.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.since', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) - interval '1 day') AS since,
           coalesce(nullif(current_setting('fleethealth.until', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now())) AS until,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
beats AS (
    SELECT h.sensor_id, h.lost_before
    FROM heartbeats h, params p
    WHERE h.received_at >= p.since AND h.received_at < p.until AND h.sequence IS NOT NULL
),
per_scope AS (
    SELECT NULL::text AS sensor_id, count(*) AS received, coalesce(sum(lost_before), 0) AS lost FROM beats
    UNION ALL
    SELECT sensor_id, count(*), sum(lost_before) FROM beats GROUP BY sensor_id
)
SELECT sensor_id, received, lost,
       coalesce(round(lost::numeric / nullif(received + lost, 0), 6), 0) AS lost_rate
FROM per_scope
ORDER BY sensor_id NULLS FIRST;
