using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Projection;

/// <summary>Configuration section <c>Projection</c>.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "Projection";

    /// <summary>Most journal events applied in one read-model transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// Most sensors rows the leading projection keeps in memory, so as not to read back rows it
    /// wrote itself (about 350 bytes each: the default holds 250,000 sensors in about 90 MB). A fleet
    /// larger than this still projects correctly; its rows are read back more often.
    /// </summary>
    [Range(0, 100_000_000)]
    public int RowCacheCapacity { get; set; } = 250_000;

    /// <summary>Pause between polls of the journal when there is nothing new.</summary>
    [Range(1, 10_000)]
    public int IdlePollMilliseconds { get; set; } = 20;

    /// <summary>
    /// How long a hole in the journal's ordering is waited for before the projection moves on: an
    /// ordering is taken when a write starts, so a slower transaction can commit a lower one after a
    /// higher one is visible. A hole passed over is remembered and applied if its write commits
    /// later (see <see cref="GapRetentionSeconds"/>), so this bounds the lag a rolled-back write
    /// causes, not correctness.
    /// </summary>
    [Range(100, 600_000)]
    public int GapTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>How often passed-over holes are looked for again.</summary>
    [Range(10, 600_000)]
    public int GapRecheckMilliseconds { get; set; } = 500;

    /// <summary>
    /// How long a passed-over hole is looked for before it counts as a rolled-back write. Must exceed
    /// the longest a journal transaction can take to commit (the writer's command timeout).
    /// </summary>
    [Range(1, 86_400 * 7)]
    public int GapRetentionSeconds { get; set; } = 3600;

    public TimeSpan GapRetention => TimeSpan.FromSeconds(GapRetentionSeconds);
}
