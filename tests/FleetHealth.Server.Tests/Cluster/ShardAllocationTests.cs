using FleetHealth.Server.Cluster;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>Least-shard allocation as each node decides it, on views of the lease table.</summary>
public sealed class ShardAllocationTests
{
    private static readonly Guid Self = Guid.NewGuid();
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void A_lone_node_takes_every_free_shard()
    {
        var decision = Decide("a", Members("a"), Leases(256));

        Assert.Equal(256, decision.Acquire);
        Assert.Empty(decision.Handoffs);
    }

    [Fact]
    public void A_joining_node_asks_the_most_loaded_for_their_surplus_down_to_the_fair_share()
    {
        var leases = Leases(256, ("a", 200), ("b", 56));

        var decision = Decide("c", Members("a", "b", "c"), leases, maxHandoffs: 100);

        // floor(256 / 3) = 85: a gives 85 of its 115 surplus (b has none), at most 100 per round.
        Assert.Equal(0, decision.Acquire);
        Assert.Equal([new HandoffRequest("a", 85)], decision.Handoffs);
    }

    [Fact]
    public void Handoff_requests_per_round_are_limited()
    {
        var decision = Decide("d", Members("a", "b", "c", "d"), Leases(256, ("a", 86), ("b", 85), ("c", 85)), maxHandoffs: 32);

        Assert.Equal(32, decision.Handoffs.Sum(h => h.Count));
        Assert.Equal("a", decision.Handoffs[0].Donor);
    }

    [Fact]
    public void Shards_already_promised_count_for_the_asker_and_against_the_donor()
    {
        var leases = Leases(256, ("a", 128), ("b", 128)).ToList();
        for (var shard = 0; shard < 85; shard++)
        {
            leases[shard] = leases[shard] with { HandoffTo = "c" };
        }

        var decision = Decide("c", Members("a", "b", "c"), leases);

        Assert.Equal(0, decision.Acquire);
        Assert.Empty(decision.Handoffs);
    }

    [Fact]
    public void A_node_within_its_fair_share_asks_for_nothing()
    {
        Assert.Empty(Decide("c", Members("a", "b", "c"), Leases(256, ("a", 86), ("b", 85), ("c", 85))).Handoffs);
        Assert.Empty(Decide("b", Members("a", "b"), Leases(255, ("a", 128), ("b", 127))).Handoffs);
    }

    [Fact]
    public void Expired_shards_are_taken_over_even_beyond_the_ceiling_while_a_dead_node_still_counts()
    {
        // c died: its 86 leases expired, but it is not declared down yet, so three members count.
        var leases = Leases(256, ("a", 85), ("b", 85), ("c", 86)).Select(l => l.Owner == "c" ? l with { Valid = false } : l).ToList();

        var decision = Decide("a", Members("a", "b", "c"), leases);

        Assert.Equal(29, decision.Acquire); // ceil(86 / 3): the survivors share the orphans over a few rounds
    }

    [Fact]
    public void Survivors_split_a_dead_node_s_shards_once_it_is_declared_down()
    {
        var leases = Leases(256, ("a", 85), ("b", 85), ("c", 86)).Select(l => l.Owner == "c" ? l with { Valid = false } : l).ToList();
        var members = Members("a", "b").Append(new MemberRecord("c", Guid.NewGuid(), "http://c", Now, Now, Now, null, Live: false)).ToList();

        Assert.Equal(43, Decide("a", members, leases).Acquire);
    }

    [Fact]
    public void Leases_of_an_earlier_incarnation_of_this_node_are_free_to_it_at_once()
    {
        var leases = Leases(4, ("a", 4)).Select(l => l with { OwnerIncarnation = Guid.NewGuid() }).ToList();

        Assert.Equal(4, Decide("a", Members("a"), leases).Acquire);
        Assert.Equal(0, ShardAllocation.Decide("b", Guid.NewGuid(), Members("a", "b"), leases, 32).Acquire);
    }

    private static AllocationDecision Decide(string self, IReadOnlyList<MemberRecord> members, IReadOnlyList<LeaseRecord> leases, int maxHandoffs = 256) =>
        ShardAllocation.Decide(self, Self, members, leases, maxHandoffs);

    private static List<MemberRecord> Members(params string[] ids) =>
        [.. ids.Select(id => new MemberRecord(id, Self, $"http://{id}", Now, Now, null, null, Live: true))];

    /// <summary><paramref name="shards"/> leases, the first ones owned in order by the given nodes, the rest free.</summary>
    private static List<LeaseRecord> Leases(int shards, params (string Owner, int Count)[] owners)
    {
        var leases = new List<LeaseRecord>();
        foreach (var (owner, count) in owners)
        {
            for (var i = 0; i < count; i++)
            {
                leases.Add(new LeaseRecord(leases.Count, owner, Self, 1, true, null));
            }
        }

        while (leases.Count < shards)
        {
            leases.Add(new LeaseRecord(leases.Count, null, null, 0, false, null));
        }

        return leases;
    }
}
