using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using FleetHealth.Coordination;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Membership;
using FleetHealth.Server.Metrics;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using AkkaCluster = Akka.Cluster.Cluster;
using AkkaClusterOptions = Akka.Cluster.Hosting.ClusterOptions;
using SensorActor = FleetHealth.Fleet.SensorActor;

namespace FleetHealth.Server.Sharding;

internal static class AkkaFleetServiceExtensions
{
    /// <summary>
    /// The sensors on Akka.NET: one actor system per node (Akka.Hosting), a member of the cluster
    /// given by <c>Fleet:SeedNodes</c> (itself when there are none), the sensors' shard region with
    /// each shard under a <see cref="PostgresLease"/>, and their journal in Akka.Persistence.Sql.
    /// Any Akka setting can be overridden from configuration section <c>Akka</c> (<see cref="AkkaSettingsOverrides"/>).
    /// </summary>
    public static void AddAkkaFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddAkkaJournalOptions();
        builder.Services.AddAkka(FleetEngineOptions.SystemName, (akka, services) =>
        {
            var options = services.GetRequiredService<IOptions<FleetEngineOptions>>().Value;
            var liveness = services.GetRequiredService<IOptions<LivenessOptions>>().Value;
            var policy = services.GetRequiredService<FleetPolicy>();
            var clock = services.GetRequiredService<TimeProvider>();
            var deadlines = services.GetService<SensorDeadlineScheduler>()?.Scheduler;
            // A writer new at every start: the journal writes only under shard leases this incarnation holds.
            var fence = new JournalFence(JournalFence.NewWriter(), FleetEngineOptions.SystemName, AkkaClusterConfiguration.SensorTypeName, options.Shards);
            // A database outage is one line when it starts and one when it ends, not a stack trace per shard and retry.
            akka.ConfigureLoggers(loggers => loggers.ClearLoggers().AddLogger<OutageAwareAkkaLogger>())
                .AddSetup(new StorageOutageSetup(services.GetRequiredService<StorageOutageLog>()))
                .AddHocon(AkkaClusterConfiguration.Config, HoconAddMode.Prepend)
                .AddHocon(fence.LeaseConfig, HoconAddMode.Prepend)
                .AddHocon(PostgresLease.DefaultConfig, HoconAddMode.Append)
                .AddHocon(SensorEventSerializer.Config, HoconAddMode.Append)
                .AddHocon(SensorMessageSerializer.Config, HoconAddMode.Append)
                .WithFleetJournal(services, fence)
                .AddSetup(new PostgresLeaseSetup(services.GetRequiredService<NpgsqlDataSource>()))
                .WithRemoting(options.Hostname, options.Port, options.PublicHostname)
                .WithClustering(new AkkaClusterOptions { SeedNodes = options.SeedNodes.Count > 0 ? [.. options.SeedNodes] : null })
                .WithShardRegion<SensorRegion>(
                    AkkaClusterConfiguration.SensorTypeName,
                    sensorId => SensorActor.Props(sensorId, policy, liveness.AutoRegister, liveness.SnapshotEvery, clock, deadlines),
                    new SensorMessageExtractor(options.Shards),
                    new ShardOptions
                    {
                        StateStoreMode = StateStoreMode.DData,
                        RememberEntities = false,
                        // Safe only with the DeadlineKeeper, which wakes a passivated sensor before its next deadline.
                        ShouldPassivateIdleEntities = options.PassivateIdleAfterSeconds > 0,
                        PassivateIdleEntityAfter = options.PassivateIdleAfterSeconds > 0 ? TimeSpan.FromSeconds(options.PassivateIdleAfterSeconds) : null,
                    })
                .AddStartup((system, _) =>
                {
                    var reporter = system.ActorOf(StorageFailureReporter.Props(services.GetRequiredService<StorageOutageLog>(), services.GetRequiredService<ILoggerFactory>().CreateLogger<StorageFailureReporter>()), "storage-failures");
                    system.EventStream.Subscribe(reporter, typeof(SensorStorageFailed));
                    if (options.SeedNodes.Count == 0)
                    {
                        // No seeds: a lone node, the first and only member of its own cluster.
                        var cluster = AkkaCluster.Get(system);
                        cluster.Join(cluster.SelfAddress);
                    }
                })
                // Last: the operator's Akka settings win over everything above.
                .WithSettingsFrom(services.GetRequiredService<IConfiguration>());
        });
        // The read model from Akka.Persistence.Query's AllEvents on the Sql journal.
        builder.Services.AddAkkaJournalFeed();
        builder.Services.AddSingleton<ShardedSensorFleet>();
        builder.Services.AddSingleton<ISensorFleet>(sp => sp.GetRequiredService<ShardedSensorFleet>());
        builder.Services.AddSingleton<FleetHeartbeatSink>();
        builder.Services.AddSingleton(sp => MetricsApi.Metered(sp, sp.GetRequiredService<FleetHeartbeatSink>()));
        builder.Services.AddSingleton<DeadlineKeeper>();
        builder.Services.AddSingleton<IReadModelObserver>(sp => sp.GetRequiredService<DeadlineKeeper>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineKeeper>());
        builder.Services.AddSingleton<AkkaClusterMembership>();
        builder.Services.AddSingleton<IClusterMembership>(sp => sp.GetRequiredService<AkkaClusterMembership>());
    }
}
