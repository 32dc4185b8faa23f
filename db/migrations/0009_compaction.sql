-- Journal compaction (DESIGN.md §2: old events deleted behind snapshots once the projection has
-- passed them). A transition row remembers the sequence number of the journal event it came from,
-- so that a rebuild of the read model replaces exactly the rows whose events are still in the
-- journal and keeps those whose events compaction deleted (journal_deletions.deleted_to).
-- Rows written before this migration have none: a rebuild renumbers them, and until then
-- compaction leaves their sensors alone.
ALTER TABLE state_changes ADD COLUMN sequence_nr bigint;
