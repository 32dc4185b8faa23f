using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Live;

/// <summary>
/// Holds one dedicated (unpooled) connection that LISTENs on the change feed channel and hands
/// every notification to the <see cref="LiveHub"/>. When the connection is lost (PostgreSQL
/// restarts, a network cut), it reconnects with exponential backoff, and the hub then resyncs
/// every client from a fresh snapshot, since notifications sent meanwhile are lost.
/// </summary>
internal sealed partial class ChangeFeedListener(
    LiveHub hub,
    DatabaseReadiness readiness,
    IOptions<DatabaseOptions> database,
    ILogger<ChangeFeedListener> logger) : BackgroundService
{
    public const string ApplicationName = "fleethealth-live";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

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

        var connectionString = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString)
        {
            Pooling = false,
            ApplicationName = ApplicationName,
            KeepAlive = 15,
        }.ConnectionString;
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => hub.OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeFeedPayload.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                LogListening(ChangeFeedPayload.Channel);
                hub.OnFeedUp();
                backoff = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    if (!await connection.WaitAsync(Idle, stoppingToken))
                    {
                        // Quiet for a while: prove the connection still stands (a dead peer shows here).
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                hub.OnFeedDown();
                LogLost(e.Message, backoff);
                try
                {
                    await Task.Delay(backoff, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Change feed: listening on {Channel}")]
    private partial void LogListening(string channel);

    [LoggerMessage(LogLevel.Warning, "Change feed connection lost ({Reason}); reconnecting in {Backoff}")]
    private partial void LogLost(string reason, TimeSpan backoff);
}
