using FleetHealth.Server.Metrics;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Claims due deliveries (any node; <see cref="DeliveryStore.ClaimAsync"/> keeps each with one
/// node at a time) and runs a round of tries for each, concurrently. The claim's lease covers a
/// whole round; a node killed mid-round leaves its deliveries pending, claimed again by whichever
/// node polls after the lease: at least once, the idempotency key telling receivers it is a repeat.
/// </summary>
internal sealed partial class DeliveryWorker(
    DeliveryStore store,
    DeliveryService deliveries,
    DatabaseReadiness readiness,
    StorageOutageLog outages,
    FleetMetrics metrics,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    /// <summary>Who holds a claim: this process, and a random part so two workers in one process (tests) differ.</summary>
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var lease = TimeSpan.FromTicks(settings.Timeout.Ticks * settings.TriesPerRound) + TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds * Math.Pow(2, settings.TriesPerRound)) + TimeSpan.FromSeconds(30);
        // Its tables exist once the migrations ran.
        await readiness.Migrated.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var batch = await store.ClaimAsync(clock.GetUtcNow(), lease, _node, settings.DeliveryBatch, stoppingToken);
                claimed = batch.Count;
                await Task.WhenAll(batch.Select(d => DeliverAsync(d, stoppingToken)));
                outages.Succeeded();
            }
            catch (NpgsqlException e) when (!stoppingToken.IsCancellationRequested)
            {
                // An outage is logged once by the outage log, with counts; anything else here.
                if (!outages.Failed("notification delivery rounds failed", e))
                {
                    LogFailed(e);
                }
            }

            if (claimed == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(settings.PollMilliseconds), stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken stoppingToken)
    {
        SendOutcome outcome;
        int tries;
        try
        {
            (outcome, tries) = await deliveries.RunRoundAsync(delivery, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A sender's bug must not stop the worker: counted as a failed try, retried later.
            (outcome, tries) = (SendOutcome.Transient(null, e.Message), 1);
        }

        var now = clock.GetUtcNow();
        var (status, retryAt) = deliveries.Next(delivery, outcome, tries, now);
        await store.RecordAsync(delivery.Id, _node, tries, outcome, status, now, retryAt, stoppingToken);
        metrics.Delivery(status == "pending" ? "retrying" : status);
        if (status == "failed")
        {
            LogGaveUp(delivery.Id, delivery.Channel.Id, delivery.Attempts + tries, outcome.Detail ?? "");
        }
    }

    [LoggerMessage(LogLevel.Warning, "Notification deliveries could not be claimed or recorded; retrying")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Notification delivery {Id} to channel {Channel} failed after {Attempts} tries: {Detail}")]
    private partial void LogGaveUp(long id, long channel, int attempts, string detail);
}
