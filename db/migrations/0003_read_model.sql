-- The read model the projection writes and analysts query (DESIGN.md §5). Nothing here is the
-- source of truth: the journal is; a rebuild replays it into these tables.

-- Sensors: identity, settings, liveness, running statistics. first/last seen become optional:
-- a provisioned sensor is known before it is heard from.
ALTER TABLE sensors
    ALTER COLUMN first_seen DROP NOT NULL,
    ALTER COLUMN last_seen DROP NOT NULL,
    ADD COLUMN registered_at         timestamptz,
    ADD COLUMN status                text        NOT NULL DEFAULT 'registered'
        CHECK (status IN ('registered', 'healthy', 'fault', 'late', 'stale', 'dead', 'retired')),
    ADD COLUMN status_since          timestamptz,
    ADD COLUMN tags                  text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN interval_seconds      double precision CHECK (interval_seconds > 0),  -- null: inherit from tag or fleet
    ADD COLUMN grace_seconds         double precision CHECK (grace_seconds >= 0),
    ADD COLUMN interval_count        bigint      NOT NULL DEFAULT 0,
    ADD COLUMN interval_mean_seconds double precision NOT NULL DEFAULT 0,
    ADD COLUMN interval_m2           double precision NOT NULL DEFAULT 0,           -- Welford: variance = m2 / (count - 1)
    ADD COLUMN lost_beats            bigint      NOT NULL DEFAULT 0,
    ADD COLUMN retired_at            timestamptz;

-- Indexes below were chosen from EXPLAIN ANALYZE on 100,000 sensors, 2,000,000 heartbeats over two
-- days and 500,000 transitions (this machine kind, 2026-11-23):
-- * No index on status or last_seen. silent_share needs every non-retired sensor (Seq Scan, 121 ms),
--   fleet counts are one HashAggregate over the table, and the list's `status = $1 ORDER BY
--   sensor_id LIMIT n` walks sensors_pkey with a filter. An index on last_seen would also turn every
--   heartbeat's row update into a non-HOT update (index maintenance on the hottest write).
-- * `tags @> ARRAY[$1]` (the list's tag filter): Bitmap Index Scan on sensors_tags, 5,000 of 100,000.
CREATE INDEX sensors_tags ON sensors USING gin (tags);

-- One row per accepted heartbeat, partitioned by day of receipt so that retention drops whole
-- partitions (no vacuum debt) and window queries touch only the days they ask about.
CREATE TABLE heartbeats (
    sensor_id        text        COLLATE "C" NOT NULL,
    received_at      timestamptz NOT NULL,
    sent_at          timestamptz,
    sequence         bigint,
    status           text        NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'fault')),
    battery          real,
    signal           real,
    skew_flagged     boolean     NOT NULL DEFAULT false,
    -- Seconds since the sensor's previous heartbeat (null for its first), computed once by the
    -- projection so that interval percentiles need no window function over the whole table.
    interval_seconds double precision,
    -- Beats lost in the sequence gap just before this one (0 after a reboot's reset).
    lost_before      integer     NOT NULL DEFAULT 0
) PARTITION BY RANGE (received_at);

-- The sensor page's timeline (`sensor_id = $1 AND received_at > $2`): Index Scan on each day's
-- partition, other days pruned ("Subplans Removed"). Window queries (intervals, lost_beats) prune to
-- the days asked for, then read them whole (Bitmap Heap / Seq Scan): they need every row anyway.
CREATE INDEX heartbeats_sensor_time ON heartbeats (sensor_id, received_at);

-- Rows outside every daily partition land here rather than fail; maintenance keeps it empty by
-- creating partitions ahead of time.
CREATE TABLE heartbeats_default PARTITION OF heartbeats DEFAULT;

-- Creates the daily partitions covering [from_day, from_day + days); idempotent.
CREATE FUNCTION fleethealth_ensure_heartbeat_partitions(from_day date, days integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    d date;
    created integer := 0;
BEGIN
    FOR i IN 0 .. days - 1 LOOP
        d := from_day + i;
        IF to_regclass(format('heartbeats_%s', to_char(d, 'YYYYMMDD'))) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF heartbeats FOR VALUES FROM (%L) TO (%L)',
                           'heartbeats_' || to_char(d, 'YYYYMMDD'), d::timestamptz, (d + 1)::timestamptz);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END $$;

-- Retention: drops the daily partitions wholly before before_day; returns how many.
CREATE FUNCTION fleethealth_drop_heartbeat_partitions(before_day date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    p record;
    dropped integer := 0;
BEGIN
    FOR p IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'heartbeats'::regclass
          AND c.relname ~ '^heartbeats_[0-9]{8}$'
          AND to_date(substr(c.relname, 12), 'YYYYMMDD') < before_day
    LOOP
        EXECUTE format('DROP TABLE %I', p.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;

-- Every liveness transition: the source of downtime episodes, availability and lifespans.
CREATE TABLE state_changes (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sensor_id   text        COLLATE "C" NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    at          timestamptz NOT NULL,
    reason      text        NOT NULL DEFAULT ''
);

-- A sensor's history in order (the sensor page: Index Scan, 5 rows), and availability and
-- downtime_episodes, which walk every sensor's history with lead() in (sensor_id, at) order: the
-- index gives that order without a sort (Index Scan, 500,000 rows, 1.0 s).
CREATE INDEX state_changes_sensor_time ON state_changes (sensor_id, at);
-- Fleet-wide windows by time (flapping over the last day: 259,172 of 500,000 rows, 127 ms).
CREATE INDEX state_changes_time ON state_changes (at);
