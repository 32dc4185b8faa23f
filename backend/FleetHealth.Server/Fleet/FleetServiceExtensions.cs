using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Ingestion;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Fleet;

internal static class FleetServiceExtensions
{
    public static void AddFleet(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LivenessOptions>()
            .BindConfiguration(LivenessOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => SensorEventSerialization.Register(new EventSerializer()));
        // Sensors are the cluster's sharded entities: their journal writes are fenced by shard leases.
        builder.Services.AddSingleton(sp => new JournalFencing(
            sp.GetRequiredService<ShardLeases>(),
            sp.GetRequiredService<ClusterNode>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            SensorFleet.SensorIdOf));
        builder.Services.AddSingleton(sp => new PostgresJournal(
            sp.GetRequiredService<NpgsqlDataSource>(),
            new PostgresJournalOptions { BeforeBatch = sp.GetRequiredService<JournalFencing>().CheckAsync },
            sp.GetRequiredService<ILogger<PostgresJournal>>()));
        builder.Services.AddSingleton(sp => new ActorSystem("fleethealth", new ActorSystemSettings
        {
            Clock = sp.GetRequiredService<TimeProvider>(),
            Journal = sp.GetRequiredService<PostgresJournal>(),
            SnapshotStore = new PostgresSnapshotStore(sp.GetRequiredService<NpgsqlDataSource>()),
            Serializer = sp.GetRequiredService<EventSerializer>(),
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }));
        builder.Services.AddSingleton<SensorFleet>();
        builder.Services.AddSingleton<IShardedEntities, SensorShardEntities>();
        builder.Services.AddSingleton(_ => new ClusterMessageSerializer(SensorClusterMessages.Register(new EventSerializer())));
        builder.Services.AddSingleton<SensorShards>();
        builder.Services.AddSingleton<IHeartbeatSink, ActorHeartbeatSink>();
    }
}
