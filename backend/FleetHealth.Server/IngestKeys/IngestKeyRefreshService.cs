using FleetHealth.Server.Storage;
using FleetHealth.Server.Ingestion;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// Keeps this node's <see cref="IngestKeyCache"/> current: loads it once the schema is there,
/// reloads on every notification of the <c>ingest_keys</c> trigger (through the node's one
/// <see cref="ChangeFeedListener"/> connection, so a revocation reaches every listening node within
/// moments), after every reconnect of that connection, and every
/// <see cref="IngestOptions.KeyRefreshSeconds"/> whatever happens. So a revoked key is refused on
/// every node within that period even when notifications are lost.
/// </summary>
internal sealed partial class IngestKeyRefreshService(
    IngestKeyCache cache,
    DatabaseReadiness readiness,
    IOptions<IngestOptions> options,
    StorageOutageLog outages,
    ILogger<IngestKeyRefreshService> logger) : BackgroundService, IChangeFeedSubscriber
{
    /// <summary>The channel of db/migrations/0006_auth.sql.</summary>
    public const string ChannelName = "fleethealth_ingest_keys";

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

        var period = TimeSpan.FromSeconds(options.Value.KeyRefreshSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await cache.ReloadAsync(stoppingToken);
                outages.Succeeded();
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Keep the last good copy: keys cannot be revoked while the database is unreachable either.
                if (!outages.Failed("ingest-key reloads failed", e))
                {
                    LogReloadFailed(e.Message);
                }

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
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    string IChangeFeedSubscriber.Channel => ChannelName;

    void IChangeFeedSubscriber.OnNotification(string payload) => Wake();

    // Notifications may have been missed while the connection was down.
    void IChangeFeedSubscriber.OnListening() => Wake();

    void IChangeFeedSubscriber.OnLost()
    {
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
