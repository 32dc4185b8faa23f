using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Server.Ingestion;
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
        builder.Services.AddSingleton(sp => new PostgresJournal(
            sp.GetRequiredService<NpgsqlDataSource>(), logger: sp.GetRequiredService<ILogger<PostgresJournal>>()));
        builder.Services.AddSingleton(sp => new ActorSystem("fleethealth", new ActorSystemSettings
        {
            Clock = sp.GetRequiredService<TimeProvider>(),
            Journal = sp.GetRequiredService<PostgresJournal>(),
            SnapshotStore = new PostgresSnapshotStore(sp.GetRequiredService<NpgsqlDataSource>()),
            Serializer = sp.GetRequiredService<EventSerializer>(),
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }));
        builder.Services.AddSingleton(sp => FleetPolicy.AwaitingTags(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<LivenessOptions>>().Value.ToPolicy()));
        builder.Services.AddSingleton<SensorFleet>();
        builder.Services.AddSingleton<IHeartbeatSink, ActorHeartbeatSink>();
        builder.Services.AddHostedService<SensorWakeupService>();
    }
}
