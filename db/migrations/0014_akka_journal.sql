-- The Akka.Persistence.Sql journal and snapshot store (provider PostgreSQL.15, tag-write-mode Csv),
-- configured by backend/FleetHealth.Server/Storage/AkkaJournalConfiguration.cs. It runs with
-- auto-initialize off, so this is the schema: the DDL the plugin's auto-initialize creates for
-- that configuration, as pg_dump shows it (linq2db's CreateTable from the plugin's row mappings,
-- then its PostgreSQL footer), column for column and index for index. Change it only together
-- with the plugin's mapping; tests/FleetHealth.Journal.Tests compares the two.
--
-- A schema of its own, `akka` (the plugin's `schema-name`): the home-made runtime's `journal`,
-- `snapshots` and `journal_deletions` stay untouched in public until the switch, the plugin's
-- tables can be granted, dumped and dropped as one, and the table names (event_journal,
-- snapshot_store) stay unambiguous where a schema is left off (logs, pg_stat views).
-- No journal_metadata table: the plugin needs it only with delete-compatibility-mode on (it is
-- off). No tag table: tags are a `;`-delimited column of the journal (tag-write-mode Csv).
CREATE SCHEMA akka;

CREATE TABLE akka.event_journal (
    -- Global write order: AllEvents / EventsByTag (Sequence offset) and the read journal's
    -- sequence retrieval range-scan this column, through the primary key index.
    ordering        bigint  GENERATED ALWAYS AS IDENTITY,
    -- Ticks (DateTime.UtcNow.Ticks), not a timestamp: the plugin writes and reads it as a long.
    created         bigint  NOT NULL,
    deleted         boolean NOT NULL,
    persistence_id  text    NOT NULL,
    sequence_number bigint  NOT NULL,
    message         bytea   NOT NULL,
    -- ';tag1;tag2;' (tag-separator), matched with LIKE by EventsByTag.
    tags            text,
    manifest        text,
    identifier      integer,
    writer_uuid     text,
    CONSTRAINT "PK_event_journal" PRIMARY KEY (ordering),
    -- Recovery reads one stream by this key; it is also the last guard against two writers.
    CONSTRAINT event_journal_uq UNIQUE (persistence_id, sequence_number)
);
CREATE INDEX event_journal_created_idx ON akka.event_journal (created);
CREATE INDEX event_journal_sequence_number_idx ON akka.event_journal (sequence_number);

CREATE TABLE akka.snapshot_store (
    persistence_id  text    NOT NULL,
    sequence_number bigint  NOT NULL,
    created         bigint  NOT NULL,
    snapshot        bytea,
    manifest        text,
    serializer_id   integer,
    CONSTRAINT "PK_snapshot_store" PRIMARY KEY (persistence_id, sequence_number)
);
CREATE INDEX snapshot_store_created_idx ON akka.snapshot_store (created);
CREATE INDEX snapshot_store_sequence_number_idx ON akka.snapshot_store (sequence_number);
