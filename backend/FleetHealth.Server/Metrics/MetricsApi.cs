using FleetHealth.Fleet;
using FleetHealth.Server.Ingestion;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace FleetHealth.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the FleetHealth meters in the Prometheus text format (OpenTelemetry's
/// exporter), behind <see cref="MetricsAccess"/>.
/// </summary>
public static class MetricsApi
{
    /// <summary>The live hub's meter (<c>fleethealth.live.*</c>), exported beside <see cref="FleetMetrics.MeterName"/>.</summary>
    private const string LiveMeterName = "FleetHealth.Live";

    internal static void AddMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => MetricsOptions.IsTokenAcceptable(o.Token is { Length: 0 } ? null : o.Token),
                $"Metrics:Token must be at least {MetricsOptions.MinTokenLength} characters without whitespace, or unset (loopback scrapes only).")
            .ValidateOnStart();
        builder.Services.AddSingleton<FleetMetrics>();
        builder.Services.AddHostedService<FleetGauges>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleethealth"))
            .WithMetrics(m => m.AddMeter(FleetMetrics.MeterName, JournalWriteMetrics.MeterName, LiveMeterName).AddPrometheusExporter());
    }

    /// <summary>Wraps the fleet's heartbeat sink so every channel's heartbeats are counted and timed.</summary>
    internal static IHeartbeatSink Metered(IServiceProvider services, IHeartbeatSink sink) =>
        new MeteredHeartbeatSink(sink, services.GetRequiredService<FleetMetrics>());

    /// <summary>Counts ingest answers; ahead of access control, so refusals count too.</summary>
    public static WebApplication UseIngestMetrics(this WebApplication app)
    {
        app.UseMiddleware<IngestRequestMetrics>();
        return app;
    }

    public static RouteGroupBuilder MapMetricsApi(this WebApplication app)
    {
        var group = app.MapGroup("").WithTags("Operations");
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.Enabled)
        {
            // Not a session policy: scrapers have no session. Access is MetricsAccess's (loopback, or the metrics token).
            group.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: b => b.UseMiddleware<MetricsAccess>(), optionsName: null)
                .AllowAnonymous();
        }

        return group;
    }
}
