namespace FleetHealth.Server.Projection;

internal static class ProjectionServiceExtensions
{
    public static void AddProjection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProjectionOptions>()
            .BindConfiguration(ProjectionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<JournalReader>();
        builder.Services.AddSingleton<ReadModelWriter>();
        builder.Services.AddSingleton<ReadModelProjection>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReadModelProjection>());
    }
}
