-- The journal fence: one writer per sensor stream in akka.event_journal, checked where the write
-- lands, so that a node cut off from its peers (or paused past its lease) cannot store an event
-- after another node took the sensor's shard. Akka.Persistence.Sql has no before-write hook; this
-- trigger is the hook. C# side: FleetHealth.Coordination.JournalFence (the session settings below)
-- and PostgresLease (the writer column, the lock order, ending a previous writer's transactions).
--
-- Who is fenced: only sessions that declare a writer identity, the custom setting
-- fleethealth.journal_writer (the journal plugin's connection string passes it in its startup
-- options, `-c fleethealth.journal_writer=...`). Sessions without it (tests, migrations, tools,
-- the read journal, the snapshot store) write unchecked.
--
-- What a fenced statement must satisfy: every row's persistence_id is a sensor stream
-- `sensor/{id}`, and the lease of that sensor's shard, named
-- `{fleethealth.journal_lease_prefix}{fleethealth_shard_of(id, fleethealth.journal_shards)}`
-- (Akka sharding's `{system}-shard-{type}-{shard}` with the message extractor's shard function),
-- is held in akka.leases by this very writer and unexpired by PostgreSQL's clock. Otherwise the
-- statement fails and its transaction writes nothing:
--   SQLSTATE ZF001  a lease is not held by this writer (free, expired, another writer), or a row
--                   is not a sensor stream;
--   SQLSTATE ZF002  the fenced session lacks fleethealth.journal_lease_prefix or
--                   fleethealth.journal_shards (a misconfigured writer is refused, never unfenced).
-- Class ZF is implementation-defined (SQL reserves classes 0-4 and A-H for the standard) and not
-- used by PostgreSQL (its own are 5x, F0, HV, P0, XX).
--
-- Why it excludes a stale writer: the check locks the lease rows FOR KEY SHARE until the commit,
-- and a change of hands (PostgresLease's acquisition) first locks its row FOR UPDATE, which
-- conflicts. So either a write that passed the check commits before the new owner's acquisition
-- returns (and the new owner's recovery, which starts after it, sees the event), or the write
-- comes after the acquisition and, rechecking the row's latest version, is refused. The holder's
-- own renewals and releases are plain UPDATEs of non-key columns (FOR NO KEY UPDATE), which do not
-- conflict with KEY SHARE: in-flight batches never delay a renewal. The unique key
-- (persistence_id, sequence_number) stays the last guard.
--
-- Cost: one statement-level check per INSERT (or COPY) statement, over its transition table: a
-- SHA-256 per row (the shard function), one DISTINCT, one indexed lookup and lock per distinct
-- shard (measured in docs/cluster.md). Unfenced sessions still pay for the transition table's
-- capture.

-- The incarnation holding a lease: the journal writer identity of the process that acquired it
-- (PostgresLease's journal-writer). Sharding's lease owner is the node's address, which a
-- restarted node reuses; this identity is new for every start, so an old incarnation's sessions
-- never pass for the new one's. NULL: released, or acquired by a lease without a journal writer
-- (then no fenced session can write its shard).
ALTER TABLE akka.leases ADD COLUMN writer text;
ALTER TABLE akka.leases ADD CONSTRAINT leases_writer_held CHECK (writer IS NULL OR owner IS NOT NULL);

-- fleethealth_shard_of (migration 0008, and FleetHealth.Fleet.SensorShard in C#), the same
-- expression declared STABLE: 0008's is IMMUTABLE over convert_to, which is STABLE, so PostgreSQL
-- does not inline it and calls it row by row (measured: 5.7 ms against 2.0 ms for 2,000 rows).
-- Tests compare the two functions and the C# one.
CREATE FUNCTION akka.sensor_shard(sensor_id text, shards integer) RETURNS integer
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    RETURN (('x' || encode(substring(sha256(convert_to(sensor_id, 'UTF8')) FROM 1 FOR 4), 'hex'))::bit(32)::bigint % shards)::integer;

CREATE FUNCTION akka.journal_fence() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    session_writer text := nullif(current_setting('fleethealth.journal_writer', true), '');
    lease_prefix   text;
    shards_setting text;
    shard_count    integer;
    shards_written integer[];
    not_a_sensor   text;
    needed         text[];
    held           integer;
    missing        text;
BEGIN
    IF session_writer IS NULL THEN
        RETURN NULL;
    END IF;

    lease_prefix := nullif(current_setting('fleethealth.journal_lease_prefix', true), '');
    shards_setting := current_setting('fleethealth.journal_shards', true);
    -- Checked by pattern, not by catching the cast's error: an exception block would open a
    -- subtransaction for every statement.
    IF lease_prefix IS NULL OR shards_setting IS NULL OR shards_setting !~ '^[1-9][0-9]{0,8}$' THEN
        RAISE EXCEPTION USING
            ERRCODE = 'ZF002',
            MESSAGE = format('journal fence: writer %s needs fleethealth.journal_lease_prefix and a positive fleethealth.journal_shards (got %L and %L)',
                             session_writer, lease_prefix, shards_setting);
    END IF;
    shard_count := shards_setting::integer;

    -- One pass over the statement's rows: the distinct shards written, -1 for a row that is not a
    -- sensor stream (distinct integers first, lease names only for those: cheaper than distinct text).
    SELECT array_agg(d.shard) INTO shards_written
      FROM (SELECT DISTINCT CASE WHEN starts_with(w.persistence_id, 'sensor/') AND length(w.persistence_id) > 7
                                 THEN akka.sensor_shard(substr(w.persistence_id, 8), shard_count)
                                 ELSE -1 END AS shard
              FROM written w) d;

    IF shards_written IS NULL THEN
        RETURN NULL; -- the statement inserted no row
    END IF;

    IF -1 = ANY (shards_written) THEN
        SELECT min(w.persistence_id) INTO not_a_sensor
          FROM written w
         WHERE NOT (starts_with(w.persistence_id, 'sensor/') AND length(w.persistence_id) > 7);
        RAISE EXCEPTION USING
            ERRCODE = 'ZF001',
            MESSAGE = format('journal fence: writer %s wrote stream %s, which is not a sharded sensor stream', session_writer, not_a_sensor);
    END IF;

    needed := ARRAY(SELECT lease_prefix || s FROM unnest(shards_written) AS s);

    -- READ COMMITTED: a row that a takeover changed meanwhile is waited for (FOR UPDATE conflicts
    -- with KEY SHARE) and its latest version rechecked, so a moved lease is not counted.
    SELECT count(*) INTO held
      FROM (SELECT 1
              FROM akka.leases l
             WHERE l.name = ANY (needed) AND l.writer = session_writer AND l.expires_at > clock_timestamp()
               FOR KEY SHARE OF l) locked;

    IF held < cardinality(needed) THEN
        SELECT string_agg(n, ', ' ORDER BY n) INTO missing
          FROM (SELECT n
                  FROM unnest(needed) AS n
                 WHERE NOT EXISTS (SELECT 1 FROM akka.leases l
                                    WHERE l.name = n AND l.writer = session_writer AND l.expires_at > clock_timestamp())
                 ORDER BY n
                 LIMIT 10) first_missing;
        RAISE EXCEPTION USING
            ERRCODE = 'ZF001',
            MESSAGE = format('journal fence: writer %s does not hold the unexpired lease of %s', session_writer, coalesce(missing, '(changed during the check)')),
            HINT = 'The shard is owned elsewhere or its lease expired; nothing of this statement was stored.';
    END IF;

    RETURN NULL;
END
$$;

CREATE TRIGGER journal_fence
    AFTER INSERT ON akka.event_journal
    REFERENCING NEW TABLE AS written
    FOR EACH STATEMENT
    EXECUTE FUNCTION akka.journal_fence();
