using FleetHealth.Server.Storage;

namespace FleetHealth.Server.Tags;

internal static class TagServiceExtensions
{
    public static void AddTags(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TagStore>();
        builder.Services.AddSingleton<TagSettingsSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TagSettingsSync>());
        builder.Services.AddSingleton<IChangeFeedSubscriber>(sp => sp.GetRequiredService<TagSettingsSync>());
    }
}
