using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.ReadModel;

/// <summary>Configuration section <c>ReadModel</c>.</summary>
public sealed class ReadModelOptions
{
    public const string Section = "ReadModel";

    /// <summary>Days of per-heartbeat rows kept; whole daily partitions older than this are dropped.</summary>
    [Range(1, 3650)]
    public int HeartbeatRetentionDays { get; set; } = 30;

    /// <summary>Daily partitions created ahead of today, so that inserts never land in the default partition.</summary>
    [Range(2, 60)]
    public int PartitionsAhead { get; set; } = 3;
}
