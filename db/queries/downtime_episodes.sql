-- 4b. Downtime episodes that overlap [fleethealth.since, fleethealth.until): maximal runs of
--     fault, late, stale or dead per sensor, from the transition into them to the transition out
--     (to healthy, registered or retired), as known at fleethealth.as_of (transitions after it are
--     not seen). An episode still going on has ended_at null and its length runs to as_of.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.since', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) - interval '1 day') AS since,
           coalesce(nullif(current_setting('fleethealth.until', true), '')::timestamptz,
                    coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now())) AS until,
           coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
marked AS (
    SELECT sensor_id, id, at,
           to_status IN ('fault', 'late', 'stale', 'dead') AS down,
           coalesce(lag(to_status IN ('fault', 'late', 'stale', 'dead')) OVER w, false) AS was_down
    FROM state_changes, params p
    WHERE at <= p.as_of -- as of then: an episode that ended later is still going on
    WINDOW w AS (PARTITION BY sensor_id ORDER BY at, id)
),
edges AS (
    SELECT sensor_id, at, down,
           lead(at) OVER (PARTITION BY sensor_id ORDER BY at, id) AS next_edge
    FROM marked
    WHERE down <> was_down
)
SELECT e.sensor_id, e.at AS started_at, e.next_edge AS ended_at,
       extract(epoch FROM coalesce(e.next_edge, p.as_of) - e.at) AS length_seconds,
       e.next_edge IS NULL AS ongoing
FROM edges e, params p
WHERE e.down AND e.at < p.until AND coalesce(e.next_edge, 'infinity') > p.since
ORDER BY e.sensor_id, e.at;
