using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.ReadModel;

/// <summary>Keeps heartbeat partitions ahead of time and drops expired ones, at start and then hourly.</summary>
internal sealed partial class PartitionMaintenanceService(
    HeartbeatPartitions partitions,
    DatabaseReadiness readiness,
    IOptions<ReadModelOptions> options,
    TimeProvider clock,
    StorageOutageLog outages,
    ILogger<PartitionMaintenanceService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(Period, clock);
        do
        {
            try
            {
                var (created, dropped) = await partitions.MaintainAsync(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), options.Value, stoppingToken);
                outages.Succeeded();
                if (created + dropped > 0)
                {
                    LogMaintained(created, dropped);
                }
            }
            catch (NpgsqlException e) when (!outages.Failed("partition maintenance runs failed", e))
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "Heartbeat partitions: {Created} created, {Dropped} dropped past retention")]
    private partial void LogMaintained(int created, int dropped);

    [LoggerMessage(LogLevel.Warning, "Heartbeat partition maintenance failed; retrying within the hour")]
    private partial void LogFailed(Exception exception);
}
