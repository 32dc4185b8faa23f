-- Upgrade in place: the home-made runtime's journal (0002: journal, snapshots, journal_deletions)
-- is carried into the Akka.Persistence.Sql tables of 0014, so that the Akka release starting on a
-- database the previous release filled recovers every sensor with its state, history and
-- deadlines. On a fresh install every legacy table is empty and this only leaves them read-only.
--
-- Rows carry over as they are: the sensor serializer (FleetHealth.Fleet.SensorEventSerializer,
-- identifier 7201) writes the same JSON under the same manifests as the old journal, snapshots
-- included (manifest sensor.state.v1). The columns, as the plugin (1.5.73, tag-write-mode Csv)
-- reads them:
--   ordering        the old journal's ordering, unchanged: the read model's projection offset
--                   (projection_offsets) and its remembered holes (projection_gaps) count in it;
--   created         the write time in .NET ticks (DateTime.UtcNow.Ticks: 100 ns since
--                   0001-01-01), not epoch milliseconds; snapshot_store.created likewise;
--   deleted         false (replay and every query skip deleted rows);
--   tags            ';a;b;' or '' for none, as the plugin writes them (the old runtime tags no
--                   sensor event; a tag holding ';' could not be represented);
--   identifier      7201; manifest the old manifest;
--   writer_uuid     'fleethealth-legacy-journal': Akka's replay filter treats the carried events
--                   as one earlier writer, and the rows say where they came from.
--
-- Compacted streams. The old journal kept a stream's highest number in journal_deletions when
-- compaction deleted events behind a snapshot. The plugin (delete-compatibility-mode off) has no
-- such table: its highest sequence number is max(sequence_number) of the stream's rows, deleted
-- ones included (journal_metadata is read only in compatibility mode), and its own deletion keeps
-- the highest deleted row with deleted = true for that reason. Akka's recovery then continues
-- after the greater of that and the snapshot it started from. So a stream keeps its numbering
-- without help when an event above the deletion remains (the old compaction always leaves the
-- last heartbeat before retention and what follows). Where nothing at or above deleted_to
-- remains, a tombstone (deleted = true, empty message and manifest, which no reader decodes) is
-- written at deleted_to, as the plugin's own deletion would have left it: the next event is
-- deleted_to + 1, never a number the old release had already given out. Tombstones take fresh
-- orderings after every carried one; queries skip them, and the read journal's sequence
-- retrieval sees no hole there.
--
-- The identity of akka.event_journal.ordering is set past every ordering the old journal ever
-- handed out (its sequence's last value, which also covers writes that rolled back at the top),
-- so the first Akka write neither collides with a carried row nor fills a hole the projection
-- passed over.
--
-- The old tables stay, read-only. Not dropped: a rollback to the previous release must find its
-- journal. Not renamed: the previous release reads and writes them under these names, so a
-- rollback is only dropping three triggers (below), not renaming tables back. Read-only rather
-- than left writable: the home-made cluster and Akka's cannot run side by side, so an upgrade
-- stops every old node first; a node that was missed would otherwise go on acknowledging
-- heartbeats into a table nobody reads any more. Its writes fail instead (SQLSTATE 25006), and the
-- LOCK below makes a write committing during the copy wait for it and then fail likewise. The old
-- tables can be dropped by a later migration once a rollback is no longer wanted.
--
-- Rollback to the previous release (which ignores migrations it does not know):
--   DROP TRIGGER journal_read_only ON journal;
--   DROP TRIGGER snapshots_read_only ON snapshots;
--   DROP TRIGGER journal_deletions_read_only ON journal_deletions;
-- It then has the fleet as it was at the upgrade; events written since are in akka.event_journal
-- only (orderings above the carried ones, writer_uuid other than the carried rows').

LOCK TABLE journal, snapshots, journal_deletions IN EXCLUSIVE MODE;

-- Both journals holding data means the Akka release already wrote to this database before this
-- migration: carrying the old one over it could collide or interleave two histories. Refused;
-- the operator decides which history is the truth.
DO $$
BEGIN
    IF (EXISTS (SELECT 1 FROM akka.event_journal) OR EXISTS (SELECT 1 FROM akka.snapshot_store))
       AND (EXISTS (SELECT 1 FROM journal) OR EXISTS (SELECT 1 FROM snapshots) OR EXISTS (SELECT 1 FROM journal_deletions)) THEN
        RAISE EXCEPTION 'both the old journal and akka.event_journal hold data: refusing to carry one into the other'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Empty akka.event_journal and akka.snapshot_store to carry the old journal over, or empty the old tables to keep the Akka journal.';
    END IF;
END $$;

INSERT INTO akka.event_journal
    (ordering, created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
OVERRIDING SYSTEM VALUE
SELECT ordering,
       (extract(epoch FROM written_at) * 10000000)::bigint + 621355968000000000,
       false,
       persistence_id,
       sequence_nr,
       payload,
       CASE WHEN cardinality(tags) = 0 THEN '' ELSE ';' || array_to_string(tags, ';') || ';' END,
       manifest,
       7201,
       'fleethealth-legacy-journal'
FROM journal
ORDER BY ordering;

INSERT INTO akka.snapshot_store (persistence_id, sequence_number, created, snapshot, manifest, serializer_id)
SELECT persistence_id,
       sequence_nr,
       (extract(epoch FROM created_at) * 10000000)::bigint + 621355968000000000,
       payload,
       manifest,
       7201
FROM snapshots
ORDER BY persistence_id, sequence_nr;

SELECT setval(pg_get_serial_sequence('akka.event_journal', 'ordering'), greatest(highest, 1), highest >= 1)
FROM (
    SELECT greatest(
               (SELECT max(ordering) FROM akka.event_journal),
               (SELECT s.last_value FROM pg_sequences s
                WHERE format('%I.%I', s.schemaname, s.sequencename)::regclass = pg_get_serial_sequence('journal', 'ordering')::regclass),
               0) AS highest
) AS carried;

INSERT INTO akka.event_journal
    (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
SELECT (extract(epoch FROM now()) * 10000000)::bigint + 621355968000000000,
       true,
       d.persistence_id,
       d.deleted_to,
       '\x'::bytea,
       '',
       '',
       7201,
       'fleethealth-legacy-journal'
FROM journal_deletions d
WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.persistence_id = d.persistence_id AND j.sequence_nr >= d.deleted_to)
ORDER BY d.persistence_id;

CREATE FUNCTION fleethealth_refuse_legacy_journal_write()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is read-only: its events were carried into the Akka journal (schema akka)', TG_TABLE_NAME
        USING ERRCODE = 'read_only_sql_transaction',
              HINT = 'A node of the previous release is still running against this database; stop it.';
END $$;

CREATE TRIGGER journal_read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON journal
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_refuse_legacy_journal_write();
CREATE TRIGGER snapshots_read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_refuse_legacy_journal_write();
CREATE TRIGGER journal_deletions_read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON journal_deletions
    FOR EACH STATEMENT EXECUTE FUNCTION fleethealth_refuse_legacy_journal_write();

-- The planner's statistics for the tables just filled, before the plugin's first queries.
ANALYZE akka.event_journal, akka.snapshot_store;
