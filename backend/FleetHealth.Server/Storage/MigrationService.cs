using FleetHealth.Database;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// Applies migrations at start-up. A database that is not reachable yet is retried with backoff
/// (the process stays up, /readyz answers 503 meanwhile), told once as the start of a storage
/// outage rather than once per attempt (<see cref="StorageOutageLog"/>); an edited landed
/// migration is fatal.
/// </summary>
internal sealed partial class MigrationService(
    Migrator migrator,
    DatabaseReadiness readiness,
    StorageOutageLog outages,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var applied = await migrator.MigrateAsync(stoppingToken);
                outages.Succeeded();
                LogMigrated(applied.Count, migrator.LatestVersion);
                readiness.MarkMigrated();
                return;
            }
            catch (InvalidOperationException e)
            {
                LogFatal(e);
                lifetime.StopApplication();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                if (!outages.Failed("schema migrations retried", e))
                {
                    LogRetry(e.Message, backoff);
                }

                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Database schema at version {Version} ({Applied} migrations applied now)")]
    private partial void LogMigrated(int applied, int version);

    [LoggerMessage(LogLevel.Critical, "Migrations cannot be applied; stopping")]
    private partial void LogFatal(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Database not reachable ({Reason}); retrying in {Backoff}")]
    private partial void LogRetry(string reason, TimeSpan backoff);
}
