using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Projection;

/// <summary>Configuration section <c>Projection</c>.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "Projection";

    /// <summary>Most journal events applied in one read-model transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>Pause between polls of the journal when there is nothing new.</summary>
    [Range(1, 10_000)]
    public int IdlePollMilliseconds { get; set; } = 20;

    /// <summary>
    /// How long a hole in the journal's ordering is waited for: an ordering is taken when a write
    /// starts, so a slower transaction can commit a lower one after a higher one is visible. Past
    /// this, the hole is taken to be a rolled-back write and passed over.
    /// </summary>
    [Range(100, 600_000)]
    public int GapTimeoutMilliseconds { get; set; } = 10_000;
}
