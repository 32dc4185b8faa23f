using Microsoft.Extensions.Options;

namespace FleetHealth.Server.ReadModel;

/// <summary>
/// Which heartbeat rows the read model keeps now: those received from <see cref="KeptFrom"/> on
/// (the start of the oldest daily partition retention keeps), by the fleet's clock. The projection
/// and a rebuild write no older rows, and compaction may delete the events of older ones.
/// </summary>
public sealed class HeartbeatRetention(IOptions<ReadModelOptions> options, TimeProvider clock)
{
    public DateTimeOffset KeptFrom() => options.Value.HeartbeatsKeptFrom(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
}
