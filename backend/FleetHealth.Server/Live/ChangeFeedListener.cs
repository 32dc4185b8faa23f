using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Live;

/// <summary>
/// LISTENs on the change feed channel (one dedicated connection, see <see cref="NotificationListener"/>)
/// and hands every notification to the <see cref="LiveHub"/>. After a lost connection comes back,
/// the hub resyncs every client from a fresh snapshot, since notifications sent meanwhile are lost.
/// </summary>
internal sealed class ChangeFeedListener(
    LiveHub hub,
    DatabaseReadiness readiness,
    IOptions<DatabaseOptions> database,
    ILogger<ChangeFeedListener> logger) : BackgroundService
{
    public const string ApplicationName = "fleethealth-live";

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

        var listener = new NotificationListener(database.Value.ConnectionString, ChangeFeedPayload.Channel, ApplicationName, logger);
        await listener.RunAsync(hub.OnFeedUp, hub.OnNotification, hub.OnFeedDown, stoppingToken);
    }
}
