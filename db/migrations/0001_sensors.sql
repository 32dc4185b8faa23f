-- The walking skeleton's read of a sensor: identity, first and last heartbeat, and a count.
-- Later migrations extend it into the full read model (state, settings, interval statistics).
CREATE TABLE sensors (
    sensor_id       text        COLLATE "C" PRIMARY KEY, -- byte order: ids are ASCII, paging is by id
    first_seen      timestamptz NOT NULL,
    last_seen       timestamptz NOT NULL,
    heartbeat_count bigint      NOT NULL DEFAULT 0 CHECK (heartbeat_count >= 0)
);
