using System.ComponentModel.DataAnnotations;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Server.Fleet;

/// <summary>Configuration section <c>Liveness</c>: the fleet-wide rules (per-sensor settings come through the API).</summary>
public sealed class LivenessOptions : IValidatableObject
{
    public const string Section = "Liveness";

    [Range(0.01, 86400 * 30)]
    public double DefaultIntervalSeconds { get; set; } = 60;

    [Range(0, 86400 * 30)]
    public double DefaultGraceSeconds { get; set; } = 30;

    [Range(0.01, 86400 * 365)]
    public double StaleAfterSeconds { get; set; } = 600;

    [Range(0.01, 86400 * 3650)]
    public double DeadAfterSeconds { get; set; } = 7 * 86400;

    [Range(1, 32)]
    public int LateMisses { get; set; } = 3;

    [Range(1, 32)]
    public int LateWindow { get; set; } = 5;

    [Range(0, 86400 * 365)]
    public double MaxFutureSkewSeconds { get; set; } = 300;

    /// <summary>True: a heartbeat from an unknown sensor registers it. False: it is refused with 404.</summary>
    public bool AutoRegister { get; set; } = true;

    /// <summary>How long an HTTP request waits for its heartbeat to become durable before answering 503.</summary>
    [Range(0.1, 120)]
    public double AckTimeoutSeconds { get; set; } = 10;

    /// <summary>A sensor's actor snapshots its state every this many events (recovery and compaction start from the latest).</summary>
    [Range(10, 1_000_000)]
    public int SnapshotEvery { get; set; } = 500;

    public LivenessPolicy ToPolicy() => new()
    {
        DefaultInterval = TimeSpan.FromSeconds(DefaultIntervalSeconds),
        DefaultGrace = TimeSpan.FromSeconds(DefaultGraceSeconds),
        StaleAfter = TimeSpan.FromSeconds(StaleAfterSeconds),
        DeadAfter = TimeSpan.FromSeconds(DeadAfterSeconds),
        LateMisses = LateMisses,
        LateWindow = LateWindow,
        MaxFutureSkew = TimeSpan.FromSeconds(MaxFutureSkewSeconds),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LateMisses > LateWindow)
        {
            yield return new ValidationResult("Liveness:LateMisses cannot exceed Liveness:LateWindow.", [nameof(LateMisses)]);
        }

        if (DeadAfterSeconds < StaleAfterSeconds)
        {
            yield return new ValidationResult("Liveness:DeadAfterSeconds cannot be shorter than Liveness:StaleAfterSeconds.", [nameof(DeadAfterSeconds)]);
        }
    }
}
