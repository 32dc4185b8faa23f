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

    /// <summary>
    /// How long a rebuild waits for journal writes still committing below the journal's head before
    /// it reads up to that horizon. Must exceed the longest a journal transaction can take to commit.
    /// </summary>
    [Range(1, 86_400 * 7)]
    public int GapRetentionSeconds { get; set; } = 3600;

    public TimeSpan GapRetention => TimeSpan.FromSeconds(GapRetentionSeconds);
}
