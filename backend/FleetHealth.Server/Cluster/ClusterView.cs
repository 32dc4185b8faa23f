namespace FleetHealth.Server.Cluster;

/// <summary>
/// The cluster as the last coordination round read it (members, leases, recent events): what
/// routing and the status API use. Between rounds it may be stale; routing copes (a node that is
/// no longer the owner answers 421 and the sender asks again).
/// </summary>
internal sealed class ClusterView
{
    private readonly ShardHome?[] _homes;

    public ClusterView(DateTimeOffset at, IReadOnlyList<MemberRecord> members, IReadOnlyList<LeaseRecord> leases, IReadOnlyList<ClusterEventRecord> events)
    {
        At = at;
        Members = members;
        Leases = leases;
        Events = events;
        var addresses = members.Where(m => m.LeftAt is null)
            .ToDictionary(m => m.NodeId, m => Uri.TryCreate(m.Address, UriKind.Absolute, out var uri) ? uri : null, StringComparer.Ordinal);
        _homes = new ShardHome?[leases.Count == 0 ? 0 : leases.Max(l => l.Shard) + 1];
        foreach (var lease in leases)
        {
            if (lease is { Valid: true, Owner: { } owner } && addresses.GetValueOrDefault(owner) is { } address)
            {
                _homes[lease.Shard] = new ShardHome(owner, address);
            }
        }
    }

    public static ClusterView Empty { get; } = new(DateTimeOffset.MinValue, [], [], []);

    public DateTimeOffset At { get; }

    public IReadOnlyList<MemberRecord> Members { get; }

    public IReadOnlyList<LeaseRecord> Leases { get; }

    public IReadOnlyList<ClusterEventRecord> Events { get; }

    /// <summary>The node holding the shard's lease and where to reach it, if anyone holds it.</summary>
    public ShardHome? HomeOf(int shard) => shard < _homes.Length ? _homes[shard] : null;
}

/// <summary>Where a shard lives: its owner and the owner's internal address (Akka's ShardHome).</summary>
internal sealed record ShardHome(string NodeId, Uri Address);
