-- 5b. Lost-beat rate from sequence gaps for heartbeats received in [fleethealth.since,
--     fleethealth.until): lost / (lost + received), for the fleet (sensor_id null) and per sensor.
--     Only heartbeats that carry a sequence number count. The definition the sensor's own counter
--     uses (Domain LostBeatCount): each beat's lost_before is its change to the count (the numbers
--     it skipped; -1 for a late beat that fills a counted gap; 0 for a repeat, a reboot's reset or
--     a beat delayed from before the counter's start), and a sensor's lost beats are their sum,
--     never below zero (a window that only sees gaps of earlier beats filled counts 0). The fleet's
--     is the sum of its sensors'.
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
per_sensor AS (
    SELECT sensor_id, count(*) AS received, greatest(0, sum(lost_before)) AS lost FROM beats GROUP BY sensor_id
),
per_scope AS (
    SELECT NULL::text AS sensor_id, coalesce(sum(received), 0)::bigint AS received, coalesce(sum(lost), 0)::bigint AS lost FROM per_sensor
    UNION ALL
    SELECT sensor_id, received, lost FROM per_sensor
)
SELECT sensor_id, received, lost,
       coalesce(round(lost::numeric / nullif(received + lost, 0), 6), 0) AS lost_rate
FROM per_scope
ORDER BY sensor_id NULLS FIRST;
