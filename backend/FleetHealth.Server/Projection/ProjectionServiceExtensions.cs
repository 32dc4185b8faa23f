namespace FleetHealth.Server.Projection;

internal static class ProjectionServiceExtensions
{
    public static void AddProjection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProjectionOptions>()
            .BindConfiguration(ProjectionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The rebuild reads the engine's own journal and snapshots (akka.*).
        builder.Services.AddSingleton<IRebuildSource, AkkaRebuildSource>();
        builder.Services.AddSingleton<ReadModelWriter>();
        // Real time, whatever the fleet's clock: it polls, times holes in the ordering and measures lag
        // against the database's written_at, all infrastructure timing (a virtual fleet clock in
        // tests must not stall it).
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ReadModelProjection>(sp, TimeProvider.System));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadModelProjection>());
    }
}
