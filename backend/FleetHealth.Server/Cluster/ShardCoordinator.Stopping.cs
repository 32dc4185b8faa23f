using FleetHealth.Server.Membership;
using Npgsql;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// Stopping shards here: fence (lease no longer provable), handoff (another node asked), leave
/// (clean shutdown); and waking the sensors of shards that arrived.
/// </summary>
internal sealed partial class ShardCoordinator
{
    private const int KeptLocalEvents = 50;
    private static readonly TimeSpan MaxFenceTick = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<int, Handoff> _handoffs = []; // guarded by _lock
    private readonly HashSet<int> _toWake = []; // guarded by _lock
    private readonly LinkedList<LocalShardEvent> _localEvents = new(); // guarded by itself
    private Task _waking = Task.CompletedTask;

    /// <summary>What this node did to its shards lately, newest first.</summary>
    public IReadOnlyList<LocalShardEvent> LocalEvents
    {
        get
        {
            lock (_localEvents)
            {
                return [.. _localEvents];
            }
        }
    }

    /// <summary>Shards being handed over by this node right now.</summary>
    public int HandoffsInProgress
    {
        get
        {
            lock (_lock)
            {
                return _handoffs.Count;
            }
        }
    }

    /// <summary>
    /// Leaves the cluster on a clean stop: stops accepting messages, stops every sensor actor (their
    /// in-flight writes complete first), then releases the leases so the others take the shards at
    /// once rather than after expiry.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_firstRound.Task.IsCompletedSuccessfully)
        {
            return;
        }

        List<int> held;
        lock (_lock)
        {
            held = leases.HeldShards();
            held.ForEach(leases.Close);
        }

        leases.Changed.Pulse();
        await DrainAsync(held, _options.RenewInterval, cancellationToken);
        await entities.StopAsync(_ => true);
        try
        {
            await store.LeaveAsync(node, cancellationToken);
            LogLeft(held.Count);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            LogLeaveFailed(e.Message);
        }

        lock (_lock)
        {
            held.ForEach(shard => leases.Settle(shard, keep: false));
        }
    }

    /// <summary>Fences each shard the moment its lease stops being provable by this node's monotonic clock.</summary>
    private async Task FenceLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = leases.UntilEarliestLapse();
            try
            {
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxFenceTick ? MaxFenceTick : wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<int> lapsed;
            lock (_lock)
            {
                lapsed = leases.Lapsed();
                lapsed.ForEach(leases.Close);
            }

            if (lapsed.Count > 0)
            {
                _ = FenceAsync(lapsed, "fenced");
            }
        }
    }

    /// <summary>Stops the (already closed) shards' actors; a shard whose lease was renewed meanwhile is served again.</summary>
    private async Task FenceAsync(List<int> shards, string kind)
    {
        leases.Changed.Pulse();
        Record(kind, shards, null);
        LogFenced(shards.Count, kind);
        await DrainAsync(shards, _options.SafetyMargin, CancellationToken.None);
        await StopEntitiesAsync(shards);
        lock (_lock)
        {
            foreach (var shard in shards)
            {
                var keep = leases.IsWritable(shard, out _);
                leases.Settle(shard, keep);
                if (keep)
                {
                    _toWake.Add(shard);
                }
            }
        }
    }

    /// <summary>Starts handing over the shards others asked for: close the gate, let admitted messages finish, stop the actors.</summary>
    private void BeginHandoffs(IReadOnlyList<LeaseRecord> rows, IReadOnlyList<MemberRecord> members)
    {
        var asked = rows.Where(r => r.Valid && r.HandoffTo is not null && r.Owner == node.NodeId && r.OwnerIncarnation == node.Incarnation);
        var live = members.Where(m => m.Live).Select(m => m.NodeId).ToHashSet(StringComparer.Ordinal);
        var started = new List<(int Shard, string To, long Epoch)>();
        var refused = new List<(int Shard, string To)>();
        lock (_lock)
        {
            foreach (var lease in asked)
            {
                if (lease.HandoffTo is not { } to || _handoffs.ContainsKey(lease.Shard) || leases.IsBusy(lease.Shard) || leases.Held(lease.Shard) is not { } held)
                {
                    continue;
                }

                if (!live.Contains(to) || to == node.NodeId)
                {
                    refused.Add((lease.Shard, to));
                    continue;
                }

                leases.Close(lease.Shard);
                started.Add((lease.Shard, to, held.Epoch));
            }
        }

        foreach (var (shard, to) in refused)
        {
            _ = CancelRefusedHandoffAsync(shard, to);
        }

        if (started.Count == 0)
        {
            return;
        }

        leases.Changed.Pulse();
        var now = leases.Now();
        foreach (var group in started.GroupBy(s => s.To))
        {
            var stopped = StopForHandoffAsync([.. group.Select(s => s.Shard)]);
            lock (_lock)
            {
                foreach (var (shard, to, epoch) in group)
                {
                    _handoffs[shard] = new Handoff(to, epoch, now, stopped);
                }
            }
        }
    }

    /// <summary>A request from a member that is down or gone: cleared, so it cannot be honoured later by mistake.</summary>
    private async Task CancelRefusedHandoffAsync(int shard, string to)
    {
        try
        {
            await store.CancelHandoffAsync(node, shard, to, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogRoundFailed(e.Message); // the next round sees the request again and retries
        }
    }

    private async Task StopForHandoffAsync(List<int> shards)
    {
        await DrainAsync(shards, TimeSpan.FromSeconds(_options.HandoffTimeoutSeconds), CancellationToken.None);
        await StopEntitiesAsync(shards);
    }

    /// <summary>Transfers every shard whose actors have stopped (their writes are durable); abandons handoffs that took too long.</summary>
    private async Task CompleteHandoffsAsync(CancellationToken cancellationToken)
    {
        List<(int Shard, Handoff Handoff)> ready;
        lock (_lock)
        {
            ready = [.. _handoffs.Where(h => h.Value.Stopped.IsCompleted || clock.GetElapsedTime(h.Value.Started) > TimeSpan.FromSeconds(_options.HandoffTimeoutSeconds))
                .Select(h => (h.Key, h.Value))];
        }

        foreach (var group in ready.GroupBy(r => r.Handoff.To))
        {
            var stopped = group.Where(r => r.Handoff.Stopped.IsCompletedSuccessfully).ToList();
            var moved = stopped.Count == 0 ? []
                : await store.TransferAsync(node, [.. stopped.Select(r => r.Shard)], [.. stopped.Select(r => r.Handoff.Epoch)], group.Key, cancellationToken);
            foreach (var (shard, _) in group.Where(r => !moved.Contains(r.Shard)))
            {
                await store.CancelHandoffAsync(node, shard, group.Key, cancellationToken);
                LogHandoffAbandoned(shard, group.Key);
            }

            lock (_lock)
            {
                foreach (var (shard, _) in group)
                {
                    _handoffs.Remove(shard);
                    var keep = !moved.Contains(shard) && leases.IsWritable(shard, out _);
                    leases.Settle(shard, keep);
                    if (keep)
                    {
                        _toWake.Add(shard);
                    }
                }
            }

            if (moved.Count > 0)
            {
                Record("handed-off", [.. moved], group.Key);
                LogHandedOff(moved.Count, group.Key);
            }
        }
    }

    /// <summary>Waits until no admitted message is still inside the shards' actors, at most <paramref name="limit"/>.</summary>
    private async Task DrainAsync(List<int> shards, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = leases.Now();
        var delay = TimeSpan.FromMilliseconds(1);
        while (shards.Any(shard => leases.InFlight(shard) > 0) && clock.GetElapsedTime(started) < limit)
        {
            await Task.Delay(delay, clock, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
    }

    private Task StopEntitiesAsync(List<int> shards)
    {
        var set = shards.ToHashSet();
        var count = leases.Count;
        return entities.StopAsync(id => set.Contains(ShardId.Of(id, count)));
    }

    /// <summary>Wakes the sensors of shards that arrived here (one query at a time; failed shards are retried next round).</summary>
    private void StartWaking()
    {
        int[] shards;
        lock (_lock)
        {
            if (_toWake.Count == 0 || !_waking.IsCompleted)
            {
                return;
            }

            shards = [.. _toWake];
            _toWake.Clear();
        }

        _waking = WakeAsync(shards);
    }

    private async Task WakeAsync(int[] shards)
    {
        var woken = 0;
        try
        {
            await foreach (var entityId in entities.SleepersAsync(shards, leases.Count, CancellationToken.None))
            {
                var shard = ShardId.Of(entityId, leases.Count);
                if (leases.TryEnter(shard))
                {
                    try
                    {
                        entities.Wake(entityId);
                        woken++;
                    }
                    finally
                    {
                        leases.Exit(shard);
                    }
                }
            }

            LogWoken(woken, shards.Length);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogWakeFailed(e.Message);
            lock (_lock)
            {
                _toWake.UnionWith(shards);
            }
        }
    }

    private void Record(string kind, IReadOnlyList<int> shards, string? peer)
    {
        lock (_localEvents)
        {
            _localEvents.AddFirst(new LocalShardEvent(clock.GetUtcNow(), kind, [.. shards.Order()], peer));
            while (_localEvents.Count > KeptLocalEvents)
            {
                _localEvents.RemoveLast();
            }
        }
    }

    /// <summary>A handoff in progress: to whom, under which epoch, since when, and the stopping of its actors.</summary>
    private sealed record Handoff(string To, long Epoch, long Started, Task Stopped);

    [LoggerMessage(LogLevel.Warning, "Stopped serving {Count} shards ({Kind}): their lease can no longer be proven")]
    private partial void LogFenced(int count, string kind);

    [LoggerMessage(LogLevel.Information, "Handed {Count} shards over to {To}")]
    private partial void LogHandedOff(int count, string to);

    [LoggerMessage(LogLevel.Warning, "Handoff of shard {Shard} to {To} abandoned; serving it again")]
    private partial void LogHandoffAbandoned(int shard, string to);

    [LoggerMessage(LogLevel.Information, "Woke {Count} sensors of {Shards} shards to re-arm their deadlines")]
    private partial void LogWoken(int count, int shards);

    [LoggerMessage(LogLevel.Warning, "Waking sensors failed ({Reason}); retrying next round")]
    private partial void LogWakeFailed(string reason);

    [LoggerMessage(LogLevel.Information, "Left the cluster, released {Count} shards")]
    private partial void LogLeft(int count);

    [LoggerMessage(LogLevel.Warning, "Could not release the leases on leaving ({Reason}); they expire by themselves")]
    private partial void LogLeaveFailed(string reason);
}
