-- Where each projection has got to in the journal's global ordering. The projection writes its
-- offset in the same transaction as the read-model rows of the events up to it, so a crash at
-- any point leaves offset and rows in step: every event is applied exactly once.
CREATE TABLE projection_offsets (
    projection text        PRIMARY KEY,
    "offset"   bigint      NOT NULL DEFAULT 0 CHECK ("offset" >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
