using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Projection;

/// <summary>Configuration section <c>Compaction</c>: deleting journal events behind snapshots (see <see cref="JournalCompaction"/>).</summary>
public sealed class CompactionOptions
{
    public const string Section = "Compaction";

    /// <summary>False: events are never deleted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pause between two batches.</summary>
    [Range(1, 86400)]
    public int PeriodSeconds { get; set; } = 10;

    /// <summary>Sensor streams examined per batch.</summary>
    [Range(1, 100_000)]
    public int StreamsPerBatch { get; set; } = 200;

    /// <summary>Most events read (and so deleted) per stream per batch.</summary>
    [Range(10, 1_000_000)]
    public int EventsPerStream { get; set; } = 5000;
}
