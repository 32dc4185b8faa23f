using System.ComponentModel.DataAnnotations;
using FleetHealth.Domain.Notifications;

namespace FleetHealth.Server.Notifications;

/// <summary>Configuration section <c>Notifications</c>.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string Section = "Notifications";

    /// <summary>Host names, addresses or CIDR ranges that channels may reach although internal (loopback, private…).</summary>
    public List<string> AllowedTargets { get; set; } = [];

    /// <summary>False: only <see cref="AllowedTargets"/> may be reached, public addresses included.</summary>
    public bool AllowPublicTargets { get; set; } = true;

    /// <summary>How long one request to a receiver (or one SMTP conversation) may take.</summary>
    [Range(0.1, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Tries within one claim of a delivery (Polly: exponential backoff with jitter between them).</summary>
    [Range(1, 10)]
    public int TriesPerRound { get; set; } = 3;

    /// <summary>The first wait between tries within a round.</summary>
    [Range(1, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 500;

    /// <summary>The first wait after a failed round (doubling each round, with jitter, up to <see cref="BackoffCapSeconds"/>).</summary>
    [Range(0.01, 3600)]
    public double BackoffBaseSeconds { get; set; } = 5;

    [Range(0.01, 86400)]
    public double BackoffCapSeconds { get; set; } = 300;

    /// <summary>Most tries of one delivery; then it is marked failed. The default spans about 25 minutes of a receiver being down.</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 30;

    /// <summary>How often the grouper and the delivery worker look for work when idle.</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>Deliveries one node claims at a time.</summary>
    [Range(1, 1000)]
    public int DeliveryBatch { get; set; } = 16;

    /// <summary>How many sensor ids a message lists (the counts cover them all).</summary>
    [Range(1, 1000)]
    public int MaxSensorsListed { get; set; } = 20;

    /// <summary>The dashboard's public address, for links in messages (none: no links).</summary>
    public string? DashboardUrl { get; set; }

    /// <summary>SMTP credentials for email channels that carry none of their own.</summary>
    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>
    /// A silence transition (late, stale, dead) projected more than this after its own time was
    /// decided while the monitor could not hear (it was down, or the database was): it is held.
    /// </summary>
    [Range(1, 86400)]
    public double OutageGraceSeconds { get; set; } = 60;

    /// <summary>How long a held transition waits from the moment it was projected; alerted then only if the sensor is still silent.</summary>
    [Range(0, 86400)]
    public double OutageRecountSeconds { get; set; } = 600;

    /// <summary>How often every node writes the monitor's pulse (a gap over <see cref="OutageGraceSeconds"/> is recorded as the monitor's outage).</summary>
    [Range(0.05, 60)]
    public double PulseSeconds { get; set; } = 5;

    /// <summary>False: no grouping and no delivery on this node (the API still works).</summary>
    public bool Enabled { get; set; } = true;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TargetAllowlist.TryCreate(AllowedTargets, AllowPublicTargets, out _, out var error))
        {
            yield return new ValidationResult($"Notifications:AllowedTargets: {error}", [nameof(AllowedTargets)]);
        }

        if (DashboardUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Notifications:DashboardUrl must be an absolute http(s) URL.", [nameof(DashboardUrl)]);
        }

        if (BackoffCapSeconds < BackoffBaseSeconds)
        {
            yield return new ValidationResult("Notifications:BackoffCapSeconds cannot be below BackoffBaseSeconds.", [nameof(BackoffCapSeconds)]);
        }

        // A pulse at least as slow as the grace would record every gap between two pulses as an outage.
        if (PulseSeconds * 2 > OutageGraceSeconds)
        {
            yield return new ValidationResult("Notifications:PulseSeconds must be at most half of OutageGraceSeconds.", [nameof(PulseSeconds)]);
        }
    }
}
