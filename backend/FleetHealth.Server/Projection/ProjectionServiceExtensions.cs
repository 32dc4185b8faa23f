using FleetHealth.Server.Sharding;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetHealth.Server.Projection;

internal static class ProjectionServiceExtensions
{
    public static void AddProjection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProjectionOptions>()
            .BindConfiguration(ProjectionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<CompactionOptions>()
            .BindConfiguration(CompactionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<JournalReader>();
        builder.Services.AddSingleton<SensorSnapshots>();
        if (FleetEngineOptions.EngineOf(builder.Configuration) == FleetEngine.Legacy)
        {
            // Compaction of the home-made journal; on Akka the sensors' own snapshots bound recovery.
            builder.Services.AddSingleton<JournalCompaction>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalCompaction>());
            builder.Services.AddSingleton<IRebuildSource, LegacyRebuildSource>();
        }
        else
        {
            // The old journal's reader, for what still reads the home-made tables on this engine (tools, tests); the rebuild does not.
            builder.Services.AddSingleton(_ => Fleet.SensorEventSerialization.Register(new FleetHealth.Actors.Persistence.EventSerializer()));
            // The rebuild reads the engine's own journal and snapshots (akka.*), not the old tables.
            builder.Services.AddSingleton<IRebuildSource, AkkaRebuildSource>();
        }

        builder.Services.AddSingleton<ReadModelWriter>();
        // The home-made runtime's journal unless the host chose another feed (AddAkkaJournalFeed), before or after this.
        builder.Services.TryAddSingleton<IJournalFeed>(sp => ActivatorUtilities.CreateInstance<PolledJournalFeed>(sp, TimeProvider.System));
        // Real time, whatever the fleet's clock: it polls, times holes in the ordering and measures lag
        // against the database's written_at, all infrastructure timing (a virtual fleet clock in
        // tests must not stall it).
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ReadModelProjection>(sp, TimeProvider.System));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadModelProjection>());
    }
}
