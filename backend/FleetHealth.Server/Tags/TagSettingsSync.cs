using FleetHealth.Server.Storage;
using System.Threading.Channels;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using Npgsql;

namespace FleetHealth.Server.Tags;

/// <summary>
/// Keeps this node's <see cref="FleetPolicy"/> in step with <c>tag_settings</c>: loads it at start
/// (retrying until the database answers; heartbeats wait for it), and reloads it whenever a
/// notification on <see cref="ChannelName"/> says a tag changed (on any node) or the listening
/// connection comes back (notifications may have been missed). Each reload tells the resident
/// sensors of the tags whose settings changed, so they re-evaluate their deadlines.
/// </summary>
internal sealed partial class TagSettingsSync(
    TagStore store,
    FleetPolicy policy,
    ISensorFleet fleet,
    DatabaseReadiness readiness,
    StorageOutageLog outages,
    ILogger<TagSettingsSync> logger) : BackgroundService, IChangeFeedSubscriber
{
    /// <summary>The channel of db/migrations/0007_tag_settings.sql.</summary>
    public const string ChannelName = "fleethealth_tag_settings";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    // Requests coalesce: one pending reload covers every notification that came before it.
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _reloading = new(1, 1);

    string IChangeFeedSubscriber.Channel => ChannelName;

    public void OnNotification(string payload) => Request();

    public void OnListening() => Request();

    public void OnLost()
    {
    }

    /// <summary>Asks for a reload soon (coalesced with any already pending).</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    /// <summary>Reloads the tag settings now and tells the affected sensors; returns how many tags changed.</summary>
    public async Task<int> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloading.WaitAsync(cancellationToken);
        try
        {
            var changed = policy.ReplaceTags(await store.LoadAllAsync(cancellationToken));
            if (changed.Count > 0)
            {
                var told = await fleet.AnnounceTagSettingsChangedAsync(changed, cancellationToken);
                LogChanged(changed.Count, told);
            }

            return changed.Count;
        }
        finally
        {
            _reloading.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        Request();
        var backoff = TimeSpan.FromMilliseconds(100);
        await foreach (var _ in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await ReloadAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(100);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                if (!outages.Failed("tag-settings loads failed", e))
                {
                    LogFailed(e, backoff);
                }

                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                Request();
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Tag settings changed for {Tags} tags; told {Sensors} resident sensors")]
    private partial void LogChanged(int tags, int sensors);

    [LoggerMessage(LogLevel.Warning, "Loading the tag settings failed; retrying in {Backoff}")]
    private partial void LogFailed(Exception exception, TimeSpan backoff);
}
