-- Leases of Akka.Coordination's Lease API (FleetHealth.Coordination.PostgresLease), e.g. one per
-- shard when Akka.Cluster.Sharding runs with use-lease. Schema `akka` (0014) holds what the Akka
-- runtime owns; the home-made cluster's shard_leases stay untouched until the switch.
--
-- Expiry is judged by PostgreSQL's clock alone: expires_at is always written as
-- clock_timestamp() + the holder's heartbeat-timeout and compared with clock_timestamp(), never
-- with a node's clock. A row is created by the first acquisition and never deleted: release clears
-- owner and expiry but keeps epoch, so the fencing token only ever grows for a name.
CREATE TABLE akka.leases (
    name        text        PRIMARY KEY,
    -- NULL when released (or never taken).
    owner       text,
    -- Fencing token: grows by one with every acquisition that is not a re-acquisition of a lease
    -- the same owner still holds unexpired; a later journal guard compares it.
    epoch       bigint      NOT NULL DEFAULT 0,
    acquired_at timestamptz,
    -- The instant, by PostgreSQL's clock, from which another owner may take the lease.
    expires_at  timestamptz,
    CHECK ((owner IS NULL) = (expires_at IS NULL))
);
