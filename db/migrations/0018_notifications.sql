-- Notifications (README "Notifications"): channels people are told through, rules saying which
-- transitions tell which channels, an outbox the projection fills in the same transaction as the
-- transitions it writes, alert groups (Alertmanager-style grouping per rule), the notifications
-- sent and their deliveries, and silences.

-- A channel: where a message goes. Settings a person may read live in config (jsonb, shaped per
-- kind); what must never be shown again (a webhook's signing secret, a Slack incoming-webhook URL,
-- an SMTP password) lives in secret, which the API never returns after creation. The secret is
-- kept readable, not hashed: signing a body (HMAC) and posting to Slack need it as it is.
CREATE TABLE notification_channels (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind        text        NOT NULL CHECK (kind IN ('webhook', 'slack', 'email')),
    config      jsonb       NOT NULL,
    secret      text,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- A rule: transitions (any of the listed kinds) of sensors carrying tag (null: every sensor) go to
-- the rule's channels, grouped per rule. The timings are Alertmanager's group_wait,
-- group_interval and repeat_interval.
CREATE TABLE notification_rules (
    id                      bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                    text             NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    transitions             text[]           NOT NULL CHECK (cardinality(transitions) > 0
                                                 AND transitions <@ ARRAY['late', 'stale', 'dead', 'fault', 'recovered', 'retired']),
    tag                     text             COLLATE "C" CHECK (tag IS NULL OR tag ~ '^[A-Za-z0-9._:/-]{1,64}$'),
    group_wait_seconds      double precision NOT NULL CHECK (group_wait_seconds >= 0 AND group_wait_seconds <= 86400),
    group_interval_seconds  double precision NOT NULL CHECK (group_interval_seconds > 0 AND group_interval_seconds <= 604800),
    repeat_interval_seconds double precision NOT NULL CHECK (repeat_interval_seconds > 0 AND repeat_interval_seconds <= 2592000),
    created_at              timestamptz      NOT NULL,
    created_by              text             NOT NULL,
    updated_at              timestamptz      NOT NULL
);

CREATE TABLE notification_rule_channels (
    rule_id    bigint NOT NULL REFERENCES notification_rules (id) ON DELETE CASCADE,
    channel_id bigint NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    PRIMARY KEY (rule_id, channel_id)
);

CREATE INDEX notification_rule_channels_channel ON notification_rule_channels (channel_id);

-- Silences: a tag or one sensor muted from starts_at to ends_at (ending one early sets ends_at).
CREATE TABLE notification_silences (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tag        text        COLLATE "C",
    sensor_id  text        COLLATE "C",
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    comment    text        CHECK (comment IS NULL OR length(comment) <= 500),
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    CHECK ((tag IS NULL) <> (sensor_id IS NULL)),
    CHECK (ends_at > starts_at)
);

-- The outbox: one row per transition and matching rule, inserted by the projection in the
-- transaction that writes the transition to state_changes, so a transition is alerted if and only
-- if it is in the read model. The grouper takes rows in id order (grouped_at set once taken);
-- rows are kept as the record of what was alerted, muted (silenced) or not.
CREATE TABLE notification_outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id     bigint      NOT NULL REFERENCES notification_rules (id) ON DELETE CASCADE,
    sensor_id   text        COLLATE "C" NOT NULL,
    kind        text        NOT NULL,
    from_status text        NOT NULL,
    to_status   text        NOT NULL,
    at          timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    muted_by    bigint      REFERENCES notification_silences (id) ON DELETE SET NULL,
    -- The monitor's own outage (README "Notifications"): a silence transition projected long after
    -- its own time was decided late, while the monitor could not hear; it waits until held_until
    -- and is alerted only if the sensor is still silent then (dropped says why it was not).
    held_until  timestamptz,
    dropped     text        CHECK (dropped IN ('muted', 'recovered-after-outage')),
    grouped_at  timestamptz
);

CREATE INDEX notification_outbox_pending ON notification_outbox (id) WHERE grouped_at IS NULL;
CREATE INDEX notification_outbox_rule_sensor ON notification_outbox (rule_id, sensor_id) WHERE grouped_at IS NULL;

-- An alert group: a rule's sensors in a bad state, told together. At most one open group per
-- rule. flush_at is when it is next sent (the end of the group wait, the next group interval
-- after a change, or the repeat interval).
CREATE TABLE alert_groups (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id      bigint      NOT NULL REFERENCES notification_rules (id) ON DELETE CASCADE,
    opened_at    timestamptz NOT NULL,
    flush_at     timestamptz NOT NULL,
    last_sent_at timestamptz,
    closed_at    timestamptz
);

CREATE UNIQUE INDEX alert_groups_open_per_rule ON alert_groups (rule_id) WHERE closed_at IS NULL;
CREATE INDEX alert_groups_due ON alert_groups (flush_at) WHERE closed_at IS NULL;

-- A sensor in a group: its status now, the status last sent for it (null: never sent, so a
-- recovery before the first message cancels it), and whether it changed since.
CREATE TABLE alert_group_members (
    group_id    bigint      NOT NULL REFERENCES alert_groups (id) ON DELETE CASCADE,
    sensor_id   text        COLLATE "C" NOT NULL,
    status      text        NOT NULL,
    since       timestamptz NOT NULL,
    sent_status text,
    changed     boolean     NOT NULL,
    PRIMARY KEY (group_id, sensor_id)
);

-- A message as composed (its JSON payload, the documented format) and one delivery of it per
-- channel. The idempotency key travels in a header so that receivers can drop repeats.
CREATE TABLE notifications (
    id         uuid        PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('alert', 'test')),
    rule_id    bigint      REFERENCES notification_rules (id) ON DELETE SET NULL,
    group_id   bigint      REFERENCES alert_groups (id) ON DELETE SET NULL,
    payload    json        NOT NULL, -- json, not jsonb: the text as sent (key order kept)
    created_at timestamptz NOT NULL
);

CREATE TABLE notification_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    notification_id uuid        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    channel_id      bigint      NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    idempotency_key text        NOT NULL UNIQUE,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_until   timestamptz,
    claimed_by      text,
    last_attempt_at timestamptz,
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL,
    UNIQUE (notification_id, channel_id)
);

CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_deliveries_channel ON notification_deliveries (channel_id, id DESC);
