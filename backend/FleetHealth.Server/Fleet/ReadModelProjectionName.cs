namespace FleetHealth.Server.Fleet;

/// <summary>The read-model projection's name in projection_offsets.</summary>
internal static class ReadModelProjectionName
{
    public const string Value = "read-model";
}
