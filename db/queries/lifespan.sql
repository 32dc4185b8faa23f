-- 3. Lifespan of a sensor, first heartbeat to end of life, in days, as a Kaplan–Meier survival
--    curve as of fleethealth.as_of, for the fleet (tag null) and per tag, with the restricted mean
--    survival time (the average lifespan up to a stated horizon, live sensors counted correctly).
--    Sensors alive at as_of are censored (they count as at risk until then), not ignored and not
--    counted as dead. A dead sensor's life ends at its last heartbeat (it was declared dead days
--    later), a retired one's at its retirement.
--    One row per scope and time at which lives ended: tag, days, at_risk, ended, survival (a scope
--    with no ended life has one row with days null). Every row also carries its scope's summary:
--    median_days (first time survival <= 0.5; null while more than half live on), naive_mean_days
--    (the mean of ended lives only, biased low, for comparison), sensors, ended_lives, and
--    restricted_mean_days: the area under the curve from 0 to horizon_days, which is
--    fleethealth.horizon_days (default 365) or the scope's longest observed life if shorter, with
--    its 95% confidence interval restricted_mean_low_days .. restricted_mean_high_days (normal
--    approximation, variance as in Klein and Moeschberger, clamped to 0 .. horizon_days).
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of,
           coalesce(nullif(current_setting('fleethealth.horizon_days', true), '')::float8, 365) AS horizon
),
lives AS (
    -- As of as_of: the status is the last transition then, a dead life ends at the last heartbeat
    -- received by then, a retired one at that retirement. The read model's row is the answer when
    -- nothing changed since as_of; only the others look back.
    SELECT a.tags,
           extract(epoch FROM (CASE a.status WHEN 'dead' THEN a.last_beat
                                             WHEN 'retired' THEN a.status_since
                                             ELSE a.as_of END) - a.first_seen) / 86400.0 AS days,
           a.status IN ('dead', 'retired') AS ended
    FROM (
        SELECT s.tags, s.first_seen, p.as_of, t.status, t.status_since,
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
scoped AS (
    SELECT NULL::text AS tag, days, ended FROM lives
    UNION ALL
    SELECT tag, days, ended FROM lives, unnest(tags) AS tag
),
times AS (
    SELECT tag, days, count(*) FILTER (WHERE ended) AS ended, count(*) AS leaving
    FROM scoped GROUP BY tag, days
),
at_risk AS (
    SELECT tag, days, ended, sum(leaving) OVER (PARTITION BY tag ORDER BY days DESC) AS at_risk FROM times
),
curve AS (
    -- S(t) = product over ending times <= t of (1 - ended / at_risk); summed in logs, with an
    -- explicit zero once a factor is 0 (every sensor at risk ended), where ln is undefined.
    SELECT tag, days, at_risk, ended,
           CASE WHEN bool_or(ended = at_risk) OVER w THEN 0
                ELSE exp(coalesce(sum(ln(1 - ended::float8 / at_risk)) FILTER (WHERE ended < at_risk) OVER w, 0)) END AS survival
    FROM at_risk
    WHERE ended > 0
    WINDOW w AS (PARTITION BY tag ORDER BY days)
),
horizons AS (
    SELECT sc.tag, least(p.horizon, max(sc.days)) AS horizon, count(*) AS sensors, count(*) FILTER (WHERE sc.ended) AS ended_lives,
           avg(sc.days) FILTER (WHERE sc.ended) AS naive_mean_days
    FROM scoped sc, params p
    GROUP BY sc.tag, p.horizon
    UNION ALL -- the fleet's row, even with no lives yet
    SELECT NULL, NULL, 0, 0, NULL WHERE NOT EXISTS (SELECT 1 FROM lives)
),
steps AS (
    -- The curve is a step: survival holds from each ending time to the next (or the horizon).
    SELECT c.tag, c.days, c.at_risk, c.ended,
           c.survival * (least(coalesce(lead(c.days) OVER w, h.horizon), h.horizon) - c.days) AS area
    FROM curve c JOIN horizons h ON h.tag IS NOT DISTINCT FROM c.tag
    WHERE c.days <= h.horizon
    WINDOW w AS (PARTITION BY c.tag ORDER BY c.days)
),
terms AS (
    -- Var = sum over ending times t <= horizon of A(t)^2 * ended / (at_risk * (at_risk - ended)),
    -- A(t) the area from t to the horizon; 0 where every sensor at risk ended (A(t) is 0 there).
    SELECT tag, area,
           CASE WHEN at_risk > ended
                THEN (sum(area) OVER (PARTITION BY tag ORDER BY days DESC)) ^ 2 * ended / (at_risk::float8 * (at_risk - ended))
                ELSE 0 END AS variance
    FROM steps
),
summary AS (
    SELECT h.tag, h.sensors, h.ended_lives, h.naive_mean_days, h.horizon AS horizon_days,
           (SELECT min(c.days) FROM curve c WHERE c.tag IS NOT DISTINCT FROM h.tag AND c.survival <= 0.5) AS median_days,
           -- Survival is 1 before the first ending time.
           least(coalesce((SELECT min(c.days) FROM curve c WHERE c.tag IS NOT DISTINCT FROM h.tag), h.horizon), h.horizon)
             + coalesce((SELECT sum(t.area) FROM terms t WHERE t.tag IS NOT DISTINCT FROM h.tag), 0) AS restricted_mean_days,
           coalesce((SELECT sum(t.variance) FROM terms t WHERE t.tag IS NOT DISTINCT FROM h.tag), 0) AS variance
    FROM horizons h
)
SELECT s.tag, c.days, c.at_risk, c.ended, c.survival, s.median_days, s.naive_mean_days, s.sensors, s.ended_lives,
       s.restricted_mean_days, s.horizon_days,
       greatest(0, s.restricted_mean_days - 1.959964 * sqrt(s.variance)) AS restricted_mean_low_days,
       least(s.horizon_days, s.restricted_mean_days + 1.959964 * sqrt(s.variance)) AS restricted_mean_high_days
FROM summary s LEFT JOIN curve c ON c.tag IS NOT DISTINCT FROM s.tag
ORDER BY s.tag NULLS FIRST, c.days NULLS FIRST;
