-- The monitor's own downtime (README "Notifications", "The monitor's own outage"): every node
-- writes the monitor's pulse a few times a minute (its clock, the one the outbox's hold rule
-- reads). A pulse that finds the previous one older than the outage grace records the gap: no
-- node could reach the database for that long, so FleetHealth could not hear the fleet. The
-- dashboard shows the most recent of them.
CREATE TABLE monitor_pulse (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seen timestamptz NOT NULL
);

CREATE TABLE monitor_outages (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at  timestamptz NOT NULL, -- the last pulse before the gap
    ended_at    timestamptz NOT NULL, -- the first pulse after it
    recorded_by text        NOT NULL,
    CHECK (ended_at > started_at)
);

CREATE INDEX monitor_outages_recent ON monitor_outages (ended_at DESC);

-- The transitions held after an outage (those projected long after their own time), by their own
-- time: the dashboard counts the sensors held and dropped for each outage.
CREATE INDEX notification_outbox_held ON notification_outbox (at) WHERE held_until IS NOT NULL;
