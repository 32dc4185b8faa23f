-- 3. Lifespan of a sensor, first heartbeat to end of life, in days, as a Kaplan–Meier survival
--    curve: sensors still alive at fleethealth.as_of are censored (they count as at risk until
--    then), not ignored and not counted as dead. A dead sensor's life ends at its last heartbeat
--    (it was declared dead days later), a retired one's at its retirement.
--    One row per time at which lives ended: days, at_risk, ended, survival. Every row also carries
--    the summary: median_days (first time survival <= 0.5; null while more than half live on),
--    naive_mean_days (the mean of ended lives only, biased low, for comparison), sensors, ended_lives.
WITH params AS (
    SELECT coalesce(nullif(current_setting('fleethealth.as_of', true), '')::timestamptz, now()) AS as_of
),
lives AS (
    SELECT extract(epoch FROM (CASE s.status WHEN 'dead' THEN s.last_seen
                                             WHEN 'retired' THEN s.retired_at
                                             ELSE p.as_of END) - s.first_seen) / 86400.0 AS days,
           s.status IN ('dead', 'retired') AS ended
    FROM sensors s, params p
    WHERE s.first_seen IS NOT NULL AND s.first_seen <= p.as_of
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
