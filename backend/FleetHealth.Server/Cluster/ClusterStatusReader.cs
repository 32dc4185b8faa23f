using FleetHealth.Server.Membership;

namespace FleetHealth.Server.Cluster;

/// <summary>Builds <see cref="ClusterStatus"/> from the last round's view and this node's counters.</summary>
internal sealed class ClusterStatusReader(ClusterNode node, ShardLeases leases, ShardCoordinator coordinator, ShardRegion region, JournalFencing fencing) : IClusterMembership
{
    public bool HasJoined => coordinator.FirstRound.IsCompletedSuccessfully;

    public Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    public ClusterStatus Read()
    {
        var view = coordinator.View;
        var held = view.Leases.Where(l => l.Valid && l.Owner is not null).GroupBy(l => l.Owner!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var members = view.Members
            .Select(m => new ClusterMemberView(
                m.NodeId,
                m.Address,
                m.StartedAt,
                m.LastSeen,
                m.LeftAt is not null ? "left" : m.Live ? "up" : "down",
                held.GetValueOrDefault(m.NodeId),
                m.NodeId == node.NodeId))
            .ToList();
        return new ClusterStatus(
            node.NodeId,
            node.Address.IsCompletedSuccessfully ? node.Address.Result.ToString() : null,
            leases.Count,
            leases.HeldCount,
            members,
            [.. view.Events.Select(e => new ClusterEventView(e.Id, e.At, e.Kind, e.From, e.To, e.Shards))],
            coordinator.LocalEvents,
            region.Buffered,
            region.Forwarded,
            region.Unavailable,
            fencing.Refused,
            coordinator.HandoffsInProgress,
            coordinator.LastRoundAt,
            coordinator.LastError);
    }
}
