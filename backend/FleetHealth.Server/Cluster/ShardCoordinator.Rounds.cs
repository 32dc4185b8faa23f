namespace FleetHealth.Server.Cluster;

/// <summary>One round: renew, coordinate, complete handoffs, all in sequence on the round loop.</summary>
internal sealed partial class ShardCoordinator
{
    // Guards the transitions of ShardLeases (open, close, settle) between the round loop, the fence
    // loop and the stopping tasks; never held across an await.
    private readonly Lock _lock = new();

    private async Task CoordinateAsync(CancellationToken cancellationToken)
    {
        if (_view.Leases.Any(l => !l.Valid && l.OwnerIncarnation is { } owner && owner != node.Incarnation))
        {
            await TerminateStaleWritersAsync(cancellationToken);
        }

        var releases = leases.Releases;
        var round = await store.CoordinateAsync(
            node,
            (members, rows) => ShardAllocation.Decide(node.NodeId, node.Incarnation, members, rows, _options.MaxHandoffsPerRound),
            leases.Now,
            cancellationToken);
        ApplyAcquisitions(round.Acquired, round.AcquireSentAt, releases);
        _view = new ClusterView(clock.GetUtcNow(), round.Members, WithAcquired(round.Leases, round.Acquired), round.Events);
        if (round.HandoffsRequested > 0)
        {
            LogHandoffsRequested(round.HandoffsRequested);
        }

        await CompleteHandoffsAsync(cancellationToken);
        BeginHandoffs(round.Leases, round.Members);
        StartWaking();
    }

    private async Task TerminateStaleWritersAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await store.TerminateStaleWritersAsync(node, cancellationToken) is > 0 and var ended)
            {
                LogStaleWritersEnded(ended);
            }
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.InsufficientPrivilege)
        {
            // Another role's sessions: the takeover waits until PostgreSQL drops them by itself.
            LogCannotEndStaleWriters(e.MessageText);
        }
    }

    /// <summary>
    /// The leases the database confirmed are this node's: each is provable until
    /// <paramref name="sentAt"/> + Lease - SafetyMargin. A shard held here since before this
    /// renewal was sent that the database no longer lists was taken (only possible once expired,
    /// so it should be fenced already): it is dropped at once.
    /// </summary>
    private void ApplyRenewals(List<RenewedLease> renewed, long sentAt, long releasesAtSend)
    {
        var confirmed = renewed.Select(r => r.Shard).ToHashSet();
        var lost = new List<int>();
        lock (_lock)
        {
            foreach (var lease in renewed)
            {
                if (leases.Grant(lease.Shard, lease.Epoch, sentAt, releasesAtSend) && !leases.IsBusy(lease.Shard))
                {
                    leases.Open(lease.Shard);
                    _toWake.Add(lease.Shard);
                }
            }

            foreach (var shard in leases.HeldShards())
            {
                if (!confirmed.Contains(shard) && !leases.IsBusy(shard) && leases.GrantedBefore(shard, sentAt))
                {
                    leases.Close(shard);
                    leases.Revoke(shard);
                    lost.Add(shard);
                }
            }
        }

        if (lost.Count > 0)
        {
            _ = FenceAsync(lost, "lost");
        }
    }

    private void ApplyAcquisitions(IReadOnlyList<AcquiredLease> acquired, long sentAt, long releasesAtSend)
    {
        if (acquired.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var lease in acquired)
            {
                if (leases.Grant(lease.Shard, lease.Epoch, sentAt, releasesAtSend) && !leases.IsBusy(lease.Shard))
                {
                    leases.Open(lease.Shard);
                    _toWake.Add(lease.Shard);
                }
            }
        }

        foreach (var group in acquired.GroupBy(a => a.PreviousOwner))
        {
            var kind = group.Key is null ? "allocated" : group.Key == node.NodeId ? "reclaimed" : "taken-over";
            Record(kind, [.. group.Select(a => a.Shard)], group.Key);
            LogAcquired(group.Count(), kind, group.Key ?? "nobody");
        }
    }

    private List<LeaseRecord> WithAcquired(IReadOnlyList<LeaseRecord> rows, IReadOnlyList<AcquiredLease> acquired)
    {
        var result = rows.ToList();
        foreach (var lease in acquired)
        {
            var index = result.FindIndex(r => r.Shard == lease.Shard);
            if (index >= 0)
            {
                result[index] = new LeaseRecord(lease.Shard, node.NodeId, node.Incarnation, lease.Epoch, true, null);
            }
        }

        return result;
    }

    [LoggerMessage(LogLevel.Warning, "Ended {Count} journal sessions of nodes whose leases expired")]
    private partial void LogStaleWritersEnded(long count);

    [LoggerMessage(LogLevel.Warning, "Cannot end the journal sessions of nodes whose leases expired: {Reason}")]
    private partial void LogCannotEndStaleWriters(string reason);

    [LoggerMessage(LogLevel.Information, "Took {Count} shards ({Kind}, from {Previous})")]
    private partial void LogAcquired(int count, string kind, string previous);

    [LoggerMessage(LogLevel.Information, "Asked other nodes to hand over {Count} shards (rebalance)")]
    private partial void LogHandoffsRequested(int count);
}
