-- Clustering (DESIGN.md §2, Sharding): several nodes share the fleet over this database.
-- backend/FleetHealth.Server/Cluster/ reads and writes these tables; its README section and the
-- comments in ShardLeaseStore.cs carry the fencing argument.

-- The number of shards is fixed for the life of a cluster: a sensor's shard is a hash of its id
-- modulo this number. The first node writes it; a node configured otherwise refuses to start.
CREATE TABLE cluster_settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    shards    integer NOT NULL CHECK (shards BETWEEN 1 AND 65536)
);

-- Membership: every node upserts its row at start and renews last_seen (PostgreSQL's clock) every
-- round. A row whose last_seen is older than the down-after time is declared down (down_since);
-- a clean stop sets left_at. A restart under the same node id gets a new incarnation.
CREATE TABLE cluster_members (
    node_id     text        PRIMARY KEY,
    incarnation uuid        NOT NULL,
    address     text        NOT NULL,
    started_at  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    down_since  timestamptz,
    left_at     timestamptz
);

-- One lease per shard. owner/owner_incarnation hold it until expires_at (PostgreSQL's clock);
-- epoch grows with every change of holder, so a write made under an older grant can be told
-- apart. handoff_to: a node asked the owner to hand this shard over (rebalance).
-- The journal writer locks the rows of its batch's shards FOR KEY SHARE while it checks
-- owner + incarnation + epoch; takeovers and handoffs lock them FOR UPDATE, which conflicts: a
-- stale write and a takeover cannot both succeed.
CREATE TABLE shard_leases (
    shard             integer     PRIMARY KEY CHECK (shard >= 0),
    owner             text,
    owner_incarnation uuid,
    epoch             bigint      NOT NULL DEFAULT 0,
    acquired_at       timestamptz,
    expires_at        timestamptz,
    handoff_to        text
);

-- What happened to shards and members, one row per action (a takeover of 85 shards is one row),
-- newest last; the nodes prune it to the most recent rows.
CREATE TABLE cluster_events (
    id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind      text        NOT NULL CHECK (kind IN ('allocated', 'taken-over', 'reclaimed', 'handed-off', 'released', 'member-joined', 'member-down', 'member-left')),
    from_node text,
    to_node   text,
    shards    integer[]   NOT NULL DEFAULT '{}'
);

-- A sensor's shard, the same function as ShardId.Of in C#: the first four bytes of the SHA-256 of
-- the UTF-8 id, big-endian, unsigned, modulo the shard count. Used to wake a shard's sensors.
CREATE FUNCTION fleethealth_shard_of(entity_id text, shards integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (('x' || encode(substring(sha256(convert_to(entity_id, 'UTF8')) FROM 1 FOR 4), 'hex'))::bit(32)::bigint % shards)::integer;

-- written_at becomes the moment the row is written, not the start of its transaction: with it, an
-- event's written_at is before the commit that made it visible, so "nothing was written under an
-- old lease after the new lease began" can be checked against shard_leases.acquired_at.
ALTER TABLE journal ALTER COLUMN written_at SET DEFAULT clock_timestamp();
