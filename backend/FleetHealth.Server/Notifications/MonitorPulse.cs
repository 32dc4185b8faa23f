using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Every node writes the monitor's pulse every <c>Notifications:PulseSeconds</c>; the first pulse
/// after a gap longer than <c>OutageGraceSeconds</c> (every node down, or the database) records
/// the gap as the monitor's own outage, which the dashboard shows. Runs whether or not this node
/// groups and delivers: it is the monitor's life, not the notifications'. "Now" is the injected
/// clock, the one the outbox's hold rule reads.
/// </summary>
internal sealed partial class MonitorPulse(
    MonitorOutageStore store,
    DatabaseReadiness readiness,
    StorageOutageLog outages,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<MonitorPulse> logger) : BackgroundService
{
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await store.PulseAsync(clock.GetUtcNow(), TimeSpan.FromSeconds(settings.OutageGraceSeconds), _node, stoppingToken) is { } gap)
                {
                    LogOutage(gap.From.UtcDateTime, gap.To.UtcDateTime, (gap.To - gap.From).TotalSeconds);
                }

                outages.Succeeded();
            }
            catch (NpgsqlException e) when (!stoppingToken.IsCancellationRequested)
            {
                if (!outages.Failed("monitor pulses failed", e))
                {
                    LogFailed(e);
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(settings.PulseSeconds), stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "FleetHealth could not hear the fleet from {From:yyyy-MM-ddTHH:mm:ssZ} to {To:yyyy-MM-ddTHH:mm:ssZ} ({Seconds:0} s); recorded as the monitor's outage")]
    private partial void LogOutage(DateTime from, DateTime to, double seconds);

    [LoggerMessage(LogLevel.Error, "A monitor pulse failed")]
    private partial void LogFailed(Exception exception);
}
