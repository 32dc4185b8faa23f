using FleetHealth.Server.Storage;

namespace FleetHealth.Server.IngestKeys;

internal static class IngestKeyServiceExtensions
{
    public static void AddIngestKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestKeyStore>();
        builder.Services.AddSingleton<IngestKeyCache>();
        builder.Services.AddSingleton<IngestKeyRefreshService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestKeyRefreshService>());
        builder.Services.AddSingleton<IChangeFeedSubscriber>(sp => sp.GetRequiredService<IngestKeyRefreshService>());
    }
}
