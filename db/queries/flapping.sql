-- 5a. Flapping sensors: the fleethealth.limit (default 20) sensors with the most transitions in
--     [fleethealth.since, fleethealth.until), with how many of them were returns to healthy.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.since', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) - interval '1 day') AS since,
           coalesce(nullif(current_setting('fleethealth.until', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now())) AS until,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
)
SELECT sc.sensor_id, count(*) AS transitions,
       count(*) FILTER (WHERE sc.to_status = 'healthy') AS recoveries
FROM state_changes sc, params p
WHERE sc.at >= p.since AND sc.at < p.until
GROUP BY sc.sensor_id
ORDER BY transitions DESC, sc.sensor_id
LIMIT coalesce(nullif(current_setting('fleethealth.limit', true), '')::integer, 20);
