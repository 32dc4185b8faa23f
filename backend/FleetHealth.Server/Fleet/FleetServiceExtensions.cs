using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Fleet;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Fleet;

internal static class FleetServiceExtensions
{
    // The writer's connection plus concurrent recoveries (the runtime allows 16).
    private const int JournalPoolSize = 20;
    private const string JournalSessions = "journal";

    /// <summary>
    /// The journal's own sessions, named after this incarnation: when its leases expire, the node
    /// taking them over can end exactly these (a cut-off writer's locks) and nothing else.
    /// </summary>
    private static NpgsqlDataSource JournalDataSource(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            MaxPoolSize = JournalPoolSize,
            ApplicationName = ShardLeaseStore.JournalApplicationName(services.GetRequiredService<ClusterNode>()),
        };
        return new NpgsqlDataSourceBuilder(connection.ConnectionString)
            .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
            .Build();
    }

    /// <summary>The liveness rules in force (configuration plus tag settings), whatever engine runs the sensors.</summary>
    public static void AddLivenessRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LivenessOptions>()
            .BindConfiguration(LivenessOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => FleetPolicy.AwaitingTags(sp.GetRequiredService<IOptions<LivenessOptions>>().Value.ToPolicy()));
    }

    /// <summary>The sensors on the home-made runtime and its cluster (<see cref="Cluster.ClusterServiceExtensions.AddCluster"/>).</summary>
    public static void AddFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => SensorEventSerialization.Register(new EventSerializer()));
        // Sensors are the cluster's sharded entities: their journal writes are fenced by shard leases.
        builder.Services.AddSingleton(sp => new JournalFencing(
            sp.GetRequiredService<ShardLeases>(),
            sp.GetRequiredService<ClusterNode>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            SensorFleet.SensorIdOf));
        builder.Services.AddKeyedSingleton(JournalSessions, (sp, _) => JournalDataSource(sp));
        builder.Services.AddSingleton(sp => new PostgresJournal(
            sp.GetRequiredKeyedService<NpgsqlDataSource>(JournalSessions),
            new PostgresJournalOptions { BeforeBatch = sp.GetRequiredService<JournalFencing>().CheckAsync },
            sp.GetRequiredService<ILogger<PostgresJournal>>(),
            sp.GetRequiredService<StorageOutageLog>()));
        builder.Services.AddSingleton(sp => new ActorSystem("fleethealth", new ActorSystemSettings
        {
            Clock = sp.GetRequiredService<TimeProvider>(),
            Journal = sp.GetRequiredService<PostgresJournal>(),
            SnapshotStore = new PostgresSnapshotStore(sp.GetRequiredService<NpgsqlDataSource>()),
            Serializer = sp.GetRequiredService<EventSerializer>(),
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            StorageOutages = sp.GetRequiredService<StorageOutageLog>(),
        }));
        builder.Services.AddSingleton<SensorFleet>();
        builder.Services.AddSingleton<IShardedEntities, SensorShardEntities>();
        builder.Services.AddSingleton(_ => new ClusterMessageSerializer(SensorClusterMessages.Register(new EventSerializer())));
        builder.Services.AddSingleton<ISensorFleet, SensorShards>();
        builder.Services.AddSingleton<IHeartbeatSink, FleetHeartbeatSink>();
    }
}
