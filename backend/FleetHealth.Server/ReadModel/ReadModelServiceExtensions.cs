namespace FleetHealth.Server.ReadModel;

internal static class ReadModelServiceExtensions
{
    public static void AddReadModel(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReadModelOptions>()
            .BindConfiguration(ReadModelOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<HeartbeatPartitions>();
        builder.Services.AddSingleton<HeartbeatRetention>();
        builder.Services.AddHostedService<PartitionMaintenanceService>();
    }
}
