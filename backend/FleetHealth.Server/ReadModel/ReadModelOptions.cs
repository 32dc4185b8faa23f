using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.ReadModel;

/// <summary>Configuration section <c>ReadModel</c>.</summary>
public sealed class ReadModelOptions
{
    public const string Section = "ReadModel";

    /// <summary>Days of per-heartbeat rows kept; whole daily partitions older than this are dropped.</summary>
    [Range(1, 3650)]
    public int HeartbeatRetentionDays { get; set; } = 30;

    /// <summary>
    /// The first instant whose heartbeat rows retention keeps on <paramref name="today"/>: the start
    /// (UTC) of the oldest daily partition not dropped. Older rows are gone from the read model,
    /// so compaction may delete their events and a rebuild does not make them again.
    /// </summary>
    public DateTimeOffset HeartbeatsKeptFrom(DateOnly today) => new(FirstKeptDay(today).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The oldest day whose heartbeat partition retention keeps on <paramref name="today"/>.</summary>
    public DateOnly FirstKeptDay(DateOnly today) => today.AddDays(-HeartbeatRetentionDays);

    /// <summary>Daily partitions created ahead of today, so that inserts never land in the default partition.</summary>
    [Range(2, 60)]
    public int PartitionsAhead { get; set; } = 3;
}
