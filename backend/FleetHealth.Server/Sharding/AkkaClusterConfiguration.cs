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

    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          actor.provider = cluster
          cluster {
            # Keep-majority: of two sides the larger stays up; an even split keeps the side with the
            # lowest address. A minority cut off from the rest downs itself, and its shard leases
            # stop it writing even before that (see docs/cluster.md).
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver {
              active-strategy = keep-majority
              stable-after = 3s
            }
            down-removal-margin = 500ms
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
              retry-interval = 500ms
              shard-start-timeout = 3s
              coordinator-failure-backoff = 1s
            }
          }
        }
        """);
}
