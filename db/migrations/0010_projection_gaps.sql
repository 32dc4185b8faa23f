-- Journal orderings the read-model projection passed over after Projection:GapTimeoutMilliseconds.
-- An ordering is taken when a journal write starts, so a hole is either a rolled-back write (it
-- never fills) or a write that is still committing: several nodes write the journal at once, and
-- a commit can stall. The projection records every ordering it passes over here, in the same
-- transaction as the offset that passes it (a crash forgets none), looks for them again, applies
-- any that appear and deletes them; after Projection:GapRetentionSeconds they count as rolled back.
--
-- Applying such a late event after later events of other sensors is safe: a sensor's actor writes
-- its next event only once the previous one is durable, and a shard's new owner takes the lease
-- only after the old owner's last write (fencing), so no later event of the same sensor can have
-- been applied before it.
CREATE TABLE projection_gaps (
    projection text        NOT NULL,
    ordering   bigint      NOT NULL,
    skipped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, ordering)
);
