namespace FleetHealth.Server.Cluster;

/// <summary>
/// Least-shard allocation (Akka's LeastShardAllocationStrategy, decided per node): with N live
/// members, every node should own between floor(S/N) and ceil(S/N) of the S shards. A node takes
/// free shards (never held, expired, or left by an earlier incarnation of itself) up to its ceiling
/// (more if the free ones would otherwise stay orphaned); when none are free and it owns fewer than
/// floor(S/N), it asks the most loaded members to hand over their surplus, at most
/// <c>maxHandoffs</c> per round. Pure: the caller runs it under the coordinator lock on a
/// consistent view.
/// </summary>
internal static class ShardAllocation
{
    public static AllocationDecision Decide(
        string self, Guid incarnation, IReadOnlyList<MemberRecord> members, IReadOnlyList<LeaseRecord> leases, int maxHandoffs)
    {
        var live = members.Where(m => m.Live).Select(m => m.NodeId).ToHashSet(StringComparer.Ordinal);
        live.Add(self);
        var shards = leases.Count;
        var n = live.Count;
        var floor = shards / n;
        var ceiling = floor + (shards % n == 0 ? 0 : 1);

        var owned = new Dictionary<string, int>(StringComparer.Ordinal);
        var promised = new Dictionary<string, int>(StringComparer.Ordinal); // handoffs requested from a node
        var free = 0;
        var mine = 0;
        foreach (var lease in leases)
        {
            if (IsFree(lease, self, incarnation))
            {
                free++;
                continue;
            }

            if (!lease.Valid || lease.Owner is null)
            {
                continue;
            }

            owned[lease.Owner] = owned.GetValueOrDefault(lease.Owner) + 1;
            if (lease.HandoffTo is { } to)
            {
                promised[lease.Owner] = promised.GetValueOrDefault(lease.Owner) + 1;
                if (to == self)
                {
                    mine++;
                }
            }
        }

        mine += owned.GetValueOrDefault(self) - promised.GetValueOrDefault(self);

        if (free > 0)
        {
            // Orphaned shards must find an owner even while the membership still counts a dead node.
            var share = Math.Max(ceiling - mine, (free + n - 1) / n);
            return new AllocationDecision(Math.Clamp(share, 0, free), []);
        }

        var need = Math.Min(floor - mine, maxHandoffs);
        var requests = new List<HandoffRequest>();
        foreach (var (donor, count) in owned.Where(o => o.Key != self && live.Contains(o.Key)).OrderByDescending(o => o.Value).ThenBy(o => o.Key, StringComparer.Ordinal))
        {
            if (need <= 0)
            {
                break;
            }

            var surplus = count - promised.GetValueOrDefault(donor) - floor;
            if (surplus > 0)
            {
                var take = Math.Min(need, surplus);
                requests.Add(new HandoffRequest(donor, take));
                need -= take;
            }
        }

        return new AllocationDecision(0, requests);
    }

    /// <summary>The same rule as the acquisition statement: nobody's, expired by PostgreSQL's clock, or an earlier incarnation's of this node.</summary>
    private static bool IsFree(LeaseRecord lease, string self, Guid incarnation) =>
        lease.Owner is null || !lease.Valid || (lease.Owner == self && lease.OwnerIncarnation != incarnation);
}

/// <summary>How many free shards to take, and which owners to ask for how many.</summary>
internal sealed record AllocationDecision(int Acquire, IReadOnlyList<HandoffRequest> Handoffs);

internal sealed record HandoffRequest(string Donor, int Count);
