using FleetHealth.Server.Projection;

namespace FleetHealth.Server.Notifications;

internal static class NotificationServiceExtensions
{
    public static void AddNotifications(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>()
            .BindConfiguration(NotificationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TargetGuard>();
        builder.Services.AddSingleton<ChannelValidation>();
        builder.Services.AddSingleton<ChannelStore>();
        builder.Services.AddSingleton<RuleStore>();
        builder.Services.AddSingleton<SilenceStore>();
        builder.Services.AddSingleton<DeliveryStore>();
        builder.Services.AddSingleton<NotificationHttp>();
        builder.Services.AddSingleton<EmailSender>();
        builder.Services.AddSingleton<ChannelSender>();
        builder.Services.AddSingleton<DeliveryService>();
        builder.Services.AddSingleton<AlertComposer>();
        builder.Services.AddSingleton<ITransitionOutbox, NotificationOutbox>();
        builder.Services.AddSingleton<AlertGrouper>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddSingleton<AlertGroupReads>();
        builder.Services.AddSingleton<MonitorOutageStore>();
        builder.Services.AddHostedService<MonitorPulse>();
        if (builder.Configuration.GetValue($"{NotificationOptions.Section}:{nameof(NotificationOptions.Enabled)}", true))
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<AlertGrouper>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        }
    }

    public static void MapNotifications(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapChannelApi();
        endpoints.MapRuleApi();
        endpoints.MapDeliveryApi();
        endpoints.MapSilenceApi();
        endpoints.MapAlertGroupApi();
        endpoints.MapMonitorOutageApi();
    }
}
