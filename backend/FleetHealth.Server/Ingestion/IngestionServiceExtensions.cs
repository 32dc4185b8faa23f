using FleetHealth.Server.Hosting;

namespace FleetHealth.Server.Ingestion;

internal static class IngestionServiceExtensions
{
    public static void AddIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TimeProvider>(new MicrosecondClock(TimeProvider.System));
    }
}
