using System.Diagnostics;
using System.Text.Json;
using FleetHealth.Domain.Notifications;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Sends deliveries: a round is up to <c>Notifications:TriesPerRound</c> tries through a Polly
/// pipeline (retry with exponential backoff and jitter around a per-try timeout of
/// <c>Notifications:TimeoutSeconds</c>); after a failed round the delivery waits
/// (<see cref="DeliveryBackoff"/>) in the database, so a long outage of the receiver costs no
/// thread and survives a restart, until <c>Notifications:MaxAttempts</c> tries, then it is failed.
/// </summary>
internal sealed class DeliveryService(ChannelSender sender, DeliveryStore store, IOptions<NotificationOptions> options, TimeProvider clock)
{
    private readonly ResiliencePipeline<SendOutcome> _round = BuildRound(options.Value, clock);

    /// <summary>One round of tries; the outcome of the last one and how many were made.</summary>
    public async Task<(SendOutcome Outcome, int Tries)> RunRoundAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var left = options.Value.MaxAttempts - delivery.Attempts;
        var tries = 0;
        try
        {
            var outcome = await _round.ExecuteAsync(
                async token =>
                {
                    if (Interlocked.Increment(ref tries) > left && tries > 1)
                    {
                        // The bound on tries holds inside a round too: give up without another request.
                        return SendOutcome.Permanent(null, "No tries left.");
                    }

                    return await sender.SendAsync(delivery.Channel, delivery.Payload, delivery.IdempotencyKey, token);
                },
                cancellationToken);
            return (outcome, Math.Min(tries, Math.Max(left, 1)));
        }
        catch (TimeoutRejectedException)
        {
            return (SendOutcome.Transient(null, $"No answer within {options.Value.TimeoutSeconds} s."), Math.Min(tries, Math.Max(left, 1)));
        }
    }

    /// <summary>After a round: delivered, failed (refused for good, or out of tries), or pending again after a backoff.</summary>
    public (string Status, DateTimeOffset? RetryAt) Next(ClaimedDelivery delivery, SendOutcome outcome, int tries, DateTimeOffset now)
    {
        if (outcome.Delivered)
        {
            return ("delivered", null);
        }

        var settings = options.Value;
        var attempts = delivery.Attempts + tries;
        if (!outcome.Retryable || attempts >= settings.MaxAttempts)
        {
            return ("failed", null);
        }

        var round = (attempts + settings.TriesPerRound - 1) / settings.TriesPerRound;
        var wait = DeliveryBackoff.Delay(round, TimeSpan.FromSeconds(settings.BackoffBaseSeconds), TimeSpan.FromSeconds(settings.BackoffCapSeconds), Random.Shared.NextDouble());
        return ("pending", now + wait);
    }

    /// <summary>Sends a test message to <paramref name="channel"/> now (one try, the usual timeout) and records it in the delivery log.</summary>
    public async Task<ChannelTestResult> TestAsync(ChannelRecord channel, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        var now = clock.GetUtcNow();
        var payload = new NotificationPayload(
            1, "test", id, "resolved", false, $"Test message from FleetHealth to channel '{channel.Name}'", null, null, now,
            new Dictionary<string, int>(), [], 0, options.Value.DashboardUrl);
        var json = JsonSerializer.Serialize(payload, NotificationJsonContext.Default.NotificationPayload);
        var started = Stopwatch.GetTimestamp();
        SendOutcome outcome;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Value.Timeout);
            try
            {
                outcome = await sender.SendAsync(channel, json, id.ToString(), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = SendOutcome.Transient(null, $"No answer within {options.Value.TimeoutSeconds} s.");
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await store.RecordTestAsync(id, json, channel.Id, outcome, clock.GetUtcNow(), cancellationToken);
        return new ChannelTestResult(outcome.Delivered, outcome.Status, outcome.Delivered ? outcome.Detail : null, outcome.Delivered ? null : outcome.Detail, elapsed, id);
    }

    private static ResiliencePipeline<SendOutcome> BuildRound(NotificationOptions settings, TimeProvider clock) =>
        new ResiliencePipelineBuilder<SendOutcome> { TimeProvider = TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<SendOutcome>
            {
                MaxRetryAttempts = Math.Max(settings.TriesPerRound - 1, 0) is var retries and > 0 ? retries : 1,
                ShouldHandle = args => ValueTask.FromResult(
                    settings.TriesPerRound > 1 && (args.Outcome.Result is { Delivered: false, Retryable: true } || args.Outcome.Exception is TimeoutRejectedException)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(settings.RetryDelayMilliseconds),
            })
            .AddTimeout(settings.Timeout)
            .Build();
}
