using FleetHealth.Server.Analytics;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Dashboard;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Live;
using FleetHealth.Server.Metrics;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Overview;
using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using FleetHealth.Server.Sharding;
using FleetHealth.Server.Storage;
using FleetHealth.Server.Tags;

namespace FleetHealth.Server.Hosting;

public static class FleetHealthHostingExtensions
{
    /// <summary>Registers everything the server needs; options are validated at start, not at first use.</summary>
    public static WebApplicationBuilder AddFleetHealth(this WebApplicationBuilder builder)
    {
        builder.AddConsoleLogFormat();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.AddStorage();
        builder.AddAccessControl();
        builder.AddIngestKeys();
        builder.AddIngestion();
        builder.AddSerialIngestion();
        builder.AddLivenessRules();
        builder.AddFleetEngine();
        builder.AddProjection();
        builder.AddSensors();
        builder.AddTags();
        builder.AddNotifications();
        builder.AddAnalytics();
        builder.AddFleetOverview();
        builder.AddReadModel();
        builder.AddLive();
        builder.AddDashboard();
        builder.AddMetrics();
        return builder;
    }

    /// <summary>The sensors on Akka.NET: cluster, sharding, persistence and the projection's journal feed.</summary>
    private static void AddFleetEngine(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FleetEngineOptions>()
            .BindConfiguration(FleetEngineOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddAkkaFleet();
    }
}
