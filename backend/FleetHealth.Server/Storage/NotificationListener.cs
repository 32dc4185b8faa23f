using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// One dedicated (unpooled) connection that LISTENs on a PostgreSQL channel and hands every
/// notification to its caller. When the connection is lost (PostgreSQL restarts, a network cut),
/// it reconnects with exponential backoff. Notifications sent while it was down are lost, so
/// <c>onUp</c> runs after every (re)connect: that is where a caller resyncs.
/// </summary>
internal sealed partial class NotificationListener(string connectionString, string channel, string applicationName, ILogger logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    /// <summary>Listens until <paramref name="stoppingToken"/> is cancelled; never throws for connection faults.</summary>
    public async Task RunAsync(Action onUp, Action<string> onNotification, Action onDown, CancellationToken stoppingToken)
    {
        var dedicated = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = applicationName,
            KeepAlive = 15,
        }.ConnectionString;
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(dedicated);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => onNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                LogListening(channel);
                onUp();
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
                onDown();
                LogLost(channel, e.Message, backoff);
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

    [LoggerMessage(LogLevel.Information, "Listening on {Channel}")]
    private partial void LogListening(string channel);

    [LoggerMessage(LogLevel.Warning, "Connection listening on {Channel} lost ({Reason}); reconnecting in {Backoff}")]
    private partial void LogLost(string channel, string reason, TimeSpan backoff);
}
