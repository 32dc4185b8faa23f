-- 3. Lifespan of a sensor, first heartbeat to end of life, in days, as a Kaplan–Meier survival
--    curve as of fleethealth.as_of: sensors alive then are censored (they count as at risk until
--    then), not ignored and not counted as dead. A dead sensor's life ends at its last heartbeat
--    (it was declared dead days later), a retired one's at its retirement.
--    One row per time at which lives ended: days, at_risk, ended, survival. Every row also carries
--    the summary: median_days (first time survival <= 0.5; null while more than half live on),
--    naive_mean_days (the mean of ended lives only, biased low, for comparison), sensors, ended_lives.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
lives AS (
    -- As of as_of: the status is the last transition then, a dead life ends at the last heartbeat
    -- received by then, a retired one at that retirement. The read model's row is the answer when
    -- nothing changed since as_of; only the others look back.
    SELECT extract(epoch FROM (CASE a.status WHEN 'dead' THEN a.last_beat
                                             WHEN 'retired' THEN a.status_since
                                             ELSE a.as_of END) - a.first_seen) / 86400.0 AS days,
           a.status IN ('dead', 'retired') AS ended
    FROM (
        SELECT s.first_seen, p.as_of, t.status, t.status_since,
               CASE WHEN t.status <> 'dead' THEN NULL
                    WHEN s.last_seen <= p.as_of THEN s.last_seen
                    -- Heard again after as_of: the last beat before it; if retention dropped it,
                    -- the death's own time (an overestimate, documented).
                    ELSE coalesce((SELECT max(h.received_at) FROM heartbeats h
                                   WHERE h.sensor_id = s.sensor_id AND h.received_at <= p.as_of), t.status_since) END AS last_beat
        FROM sensors s
        CROSS JOIN params p
        CROSS JOIN LATERAL (
            SELECT s.status, s.status_since WHERE s.status_since <= p.as_of
            UNION ALL
            SELECT coalesce(b.to_status, 'registered'), b.at
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (SELECT sc.to_status, sc.at FROM state_changes sc
                               WHERE sc.sensor_id = s.sensor_id AND sc.at <= p.as_of
                               ORDER BY sc.at DESC, sc.id DESC LIMIT 1) b ON true
            WHERE s.status_since IS NULL OR s.status_since > p.as_of
        ) t (status, status_since)
        WHERE s.first_seen IS NOT NULL AND s.first_seen <= p.as_of
    ) a
),
times AS (
    SELECT days, count(*) FILTER (WHERE ended) AS ended, count(*) AS leaving
    FROM lives GROUP BY days
),
at_risk AS (
    SELECT days, ended, sum(leaving) OVER (ORDER BY days DESC) AS at_risk FROM times
),
curve AS (
    -- S(t) = product over ending times <= t of (1 - ended / at_risk); summed in logs, with an
    -- explicit zero once a factor is 0 (every sensor at risk ended), where ln is undefined.
    SELECT days, at_risk, ended,
           CASE WHEN bool_or(ended = at_risk) OVER w THEN 0
                ELSE exp(coalesce(sum(ln(1 - ended::float8 / at_risk)) FILTER (WHERE ended < at_risk) OVER w, 0)) END AS survival
    FROM at_risk
    WHERE ended > 0
    WINDOW w AS (ORDER BY days)
),
summary AS (
    SELECT (SELECT min(days) FROM curve WHERE survival <= 0.5) AS median_days,
           (SELECT avg(days) FROM lives WHERE ended) AS naive_mean_days,
           (SELECT count(*) FROM lives) AS sensors,
           (SELECT count(*) FROM lives WHERE ended) AS ended_lives
)
SELECT c.days, c.at_risk, c.ended, c.survival, s.median_days, s.naive_mean_days, s.sensors, s.ended_lives
FROM summary s LEFT JOIN curve c ON true
ORDER BY c.days NULLS FIRST;
