using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// Keeps this node's <see cref="IngestKeyCache"/> current: loads it once the schema is there,
/// reloads on every notification of the <c>ingest_keys</c> trigger (a revocation reaches every
/// listening node within moments), after every reconnect of the listening connection, and every
/// <see cref="IngestOptions.KeyRefreshSeconds"/> whatever happens. So a revoked key is refused on
/// every node within that period even when notifications are lost.
/// </summary>
internal sealed partial class IngestKeyRefreshService(
    IngestKeyCache cache,
    DatabaseReadiness readiness,
    IOptions<DatabaseOptions> database,
    IOptions<IngestOptions> options,
    ILogger<IngestKeyRefreshService> logger) : BackgroundService
{
    public const string Channel = "fleethealth_ingest_keys";
    public const string ApplicationName = "fleethealth-keys";

    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.Migrated.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var listener = new NotificationListener(database.Value.ConnectionString, Channel, ApplicationName, logger);
        var listening = listener.RunAsync(Wake, _ => Wake(), () => { }, stoppingToken);
        var period = TimeSpan.FromSeconds(options.Value.KeyRefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await cache.ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Keep the last good copy: keys cannot be revoked while the database is unreachable either.
                LogReloadFailed(e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await _wake.WaitAsync(period, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await listening;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>Asks for a reload; wakes coalesce (many notifications, one reload).</summary>
    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A reload is already due.
        }
    }

    [LoggerMessage(LogLevel.Warning, "Ingest keys could not be reloaded ({Reason}); keeping the last loaded keys")]
    private partial void LogReloadFailed(string reason);
}
