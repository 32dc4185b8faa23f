namespace FleetHealth.Server.IngestKeys;

internal static class IngestKeyServiceExtensions
{
    public static void AddIngestKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestKeyStore>();
        builder.Services.AddSingleton<IngestKeyCache>();
        builder.Services.AddHostedService<IngestKeyRefreshService>();
    }
}
