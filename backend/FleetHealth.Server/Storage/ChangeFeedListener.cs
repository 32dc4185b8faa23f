using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>
/// Holds one dedicated (unpooled) connection per node that LISTENs on every channel its
/// <see cref="IChangeFeedSubscriber"/>s name and hands each notification to the subscribers of its
/// channel. When the connection is lost (PostgreSQL restarts, a network cut), it reconnects with
/// exponential backoff and then tells every subscriber it listens again, since notifications sent
/// meanwhile are lost: each subscriber catches up its own way (the live hub resyncs its clients,
/// the tag settings are reloaded).
/// </summary>
internal sealed partial class ChangeFeedListener(
    IEnumerable<IChangeFeedSubscriber> subscribers,
    DatabaseReadiness readiness,
    IOptions<DatabaseOptions> database,
    StorageOutageLog outages,
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
        var byChannel = subscribers.GroupBy(s => s.Channel, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (byChannel.TryGetValue(e.Channel, out var targets))
                    {
                        foreach (var target in targets)
                        {
                            target.OnNotification(e.Payload);
                        }
                    }
                };
                foreach (var channel in byChannel.Keys)
                {
                    // Channel names are constants of this build, never input.
                    await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                    LogListening(channel);
                }

                foreach (var subscriber in byChannel.Values.SelectMany(s => s))
                {
                    subscriber.OnListening();
                }

                outages.Succeeded();
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
                foreach (var subscriber in byChannel.Values.SelectMany(s => s))
                {
                    subscriber.OnLost();
                }

                if (!outages.Failed("change-feed reconnects failed", e))
                {
                    LogLost(e.Message, backoff);
                }

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
