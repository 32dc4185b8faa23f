-- The actor runtime's event journal and snapshots (backend/FleetHealth.Actors, PostgresJournal).
-- All actors' events go through one batching writer (group commit, binary COPY).

CREATE TABLE journal (
    -- Global order of writes: projections read the journal by this column (primary key index).
    ordering       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    persistence_id text        NOT NULL,
    sequence_nr    bigint      NOT NULL CHECK (sequence_nr > 0),
    manifest       text        NOT NULL,
    payload        bytea       NOT NULL,
    tags           text[]      NOT NULL DEFAULT '{}',
    written_at     timestamptz NOT NULL DEFAULT now(),
    -- The last line against two writers of one stream: the second write fails and its actor stops.
    CONSTRAINT journal_stream_key UNIQUE (persistence_id, sequence_nr)
);

-- Deleting events behind a snapshot must not lower a stream's highest sequence number.
CREATE TABLE journal_deletions (
    persistence_id text   PRIMARY KEY,
    deleted_to     bigint NOT NULL
);

CREATE TABLE snapshots (
    persistence_id text        NOT NULL,
    sequence_nr    bigint      NOT NULL,
    manifest       text        NOT NULL,
    payload        bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (persistence_id, sequence_nr)
);
