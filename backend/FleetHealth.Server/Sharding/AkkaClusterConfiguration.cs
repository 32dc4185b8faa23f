using Akka.Configuration;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// The cluster's HOCON: failure detection, the split-brain resolver and sharding as FleetHealth runs
/// them. See docs/cluster.md for the timings and what they risk.
/// </summary>
internal static class AkkaClusterConfiguration
{
    /// <summary>The sharding region of the sensors (the entity type name, part of every shard lease's name).</summary>
    public const string SensorTypeName = "sensor";

    /// <summary>The lease every sensor shard runs under (<see cref="FleetHealth.Coordination.PostgresLease"/>).</summary>
    public const string LeaseConfigPath = "fleethealth.postgres-lease";

    /// <summary>The dispatcher of the sharding actors (see the configuration below for why).</summary>
    public const string ShardingDispatcher = "fleethealth.sharding-dispatcher";

    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          actor.provider = cluster
          cluster {
            # Keep-majority: of two sides the larger stays up; an even split keeps the side with the
            # lowest address. A minority cut off from the rest downs itself, and its shard leases
            # stop it writing even before that (see docs/cluster.md).
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            # The failover budget after a crash (measured by AkkaClusterFailoverTests, docs/cluster.md):
            # unreachable ~2.5 s after the last heartbeat (interval + acceptable pause + the failure
            # detector's margin, checked every reaper interval), downed stable-after later (the
            # resolver looks once a second), removed at the leader's next tick once the others saw
            # it (gossip), then its shards are given to survivors (removal margin, coordinator) and
            # recover: 7-8 s measured on a busy 2-core machine. Unreachable + stable-after is also
            # how long a live node must be frozen to be downed by mistake: 4.5-5.5 s here (GC pauses
            # of a FleetHealth node are milliseconds; a host starved that long is sick).
            split-brain-resolver {
              active-strategy = keep-majority
              stable-after = 2s
            }
            down-removal-margin = 500ms
            leader-actions-interval = 500ms
            gossip-interval = 500ms
            unreachable-nodes-reaper-interval = 250ms
            failure-detector {
              heartbeat-interval = 500ms
              acceptable-heartbeat-pause = 1500ms
            }
            sharding {
              # The reference config's "persistence" writes the coordinator's state into our journal.
              state-store-mode = ddata
              remember-entities = off
              # Idle passivation is set per region from Fleet:PassivateIdleAfterSeconds: safe because
              # the DeadlineKeeper wakes a passivated sensor before its next deadline.
              passivate-idle-entity-after = off
              use-lease = "{{LeaseConfigPath}}"
              lease-retry-interval = 500ms
              # How often a region asks for the home of a shard it buffers messages for (after its
              # node died, say): the sooner it asks, the sooner the shard starts on a survivor.
              retry-interval = 250ms
              shard-start-timeout = 3s
              coordinator-failure-backoff = 1s
              # Each shard releases its lease synchronously in PostStop (Akka.NET 1.5.3x+, akka.net
              # #7383), blocking its thread until PostgreSQL answers. On the default dispatcher (the
              # .NET thread pool) a node stopping 256 shards at once blocked the very threads the
              # releases' own database calls needed, and took 20-44 s to exit instead of seconds
              # (GracefulStopTests). The sharding actors (region, shards, coordinator) run on threads
              # of their own; the sensors themselves stay on the default dispatcher.
              use-dispatcher = "{{ShardingDispatcher}}"
            }
          }
        }

        # Dedicated threads: a blocked release holds one of these, never a thread-pool thread. Four
        # threads release 256 leases (a single-row UPDATE each) in about a second; in normal work
        # they only route messages (region -> shard -> sensor), which is cheap.
        {{ShardingDispatcher}} {
          type = ForkJoinDispatcher
          throughput = 100
          dedicated-thread-pool {
            thread-count = 4
            threadtype = background
          }
        }

        # The shard lease, tuned for failover after a crash. A SIGKILLed node's shards are given to a
        # survivor once it is downed and removed: unreachable after ~2 s (failure detector), downed
        # after stable-after (3 s more), removed 0.5 s later. The new owner must then wait for the
        # dead node's lease to expire, heartbeat-timeout after its last renewal: at 6 s that expiry
        # is mostly already past by then, so it adds little to the ~7 s failover (the default 20 s
        # would make failover 20 s). The price: a node whose renewals fail for heartbeat-timeout -
        # safety-margin = 4.5 s (database unreachable or stalled, or the node frozen that long) loses
        # its shards' leases and stops them until it acquires them again; that costs availability,
        # never exclusion (a lease is only taken over once expired by PostgreSQL's clock, and the
        # holder stops trusting it 1.5 s before: 25 % clock-rate headroom). Renewals: shards / 1 s
        # single-row UPDATEs on akka.leases for the whole cluster. See docs/cluster.md.
        {{LeaseConfigPath}} {
          heartbeat-timeout = 6s
          heartbeat-interval = 1s
          safety-margin = 1.5s
        }
        """);
}
