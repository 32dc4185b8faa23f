using FleetHealth.Actors;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// Akka's ShardRegion: every message for an entity goes through here, on whichever node it
/// arrived. If this node holds the entity's shard, the entity's actor gets it; otherwise it is
/// forwarded to the owner over the internal channel. Callers never need to know owners.
/// </summary>
/// <remarks>
/// <para><b>During a handoff or failover</b> the shard has no serving owner for a moment: the
/// message is held here (buffered, up to <see cref="ClusterOptions.MaxBufferedMessages"/>) and
/// routed again as soon as the shard's home changes, until the caller's deadline. A message that
/// cannot be delivered by then ends in <see cref="ShardUnavailableException"/> (503 with
/// Retry-After), never in a reply the owner did not give.</para>
/// <para><b>A forwarded reply</b> is exactly what the owner's actor replied, sent only after the
/// actor replied, i.e. after its events are durable: a 202 that went through two nodes means the
/// same as one from the owner. A forward whose connection broke is sent again to the shard's next
/// owner, which recovered the first owner's events: a heartbeat with a sequence number is then
/// recognised as a duplicate.</para>
/// </remarks>
internal sealed partial class ShardRegion
{
    private static readonly TimeSpan MaxRetryWait = TimeSpan.FromMilliseconds(250);

    private readonly ShardLeases _leases;
    private readonly IShardDirectory _directory;
    private readonly IShardedEntities _entities;
    private readonly ClusterTransport _transport;
    private readonly ClusterNode _node;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ShardRegion> _logger;
    private int _buffered;
    private long _forwarded;
    private long _unavailable;

    public ShardRegion(
        ShardLeases leases, IShardDirectory directory, IShardedEntities entities, ClusterTransport transport, ClusterNode node, IOptions<ClusterOptions> options, TimeProvider clock, ILogger<ShardRegion> logger)
    {
        _logger = logger;
        _leases = leases;
        _directory = directory;
        _entities = entities;
        _transport = transport;
        _node = node;
        _options = options.Value;
        _clock = clock;
    }

    /// <summary>Messages held right now while their shards are between owners.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    /// <summary>Messages this node forwarded to other nodes since start.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Messages that could not be delivered in time (answered 503) since start.</summary>
    public long Unavailable => Interlocked.Read(ref _unavailable);

    /// <summary>
    /// Delivers <paramref name="message"/> to the entity, wherever its shard lives, and returns its
    /// reply. With <paramref name="residentOnly"/>, the entity is only asked if it is in memory on
    /// its owner (null otherwise).
    /// </summary>
    /// <exception cref="ShardUnavailableException">Not delivered (or outcome unknown) within <paramref name="timeout"/>.</exception>
    public async Task<object?> AskAsync(string entityId, object message, bool residentOnly, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var shard = ShardId.Of(entityId, _leases.Count);
        var started = _leases.Now();
        var buffered = false;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var remaining = timeout - _clock.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    throw Refuse(shard, "its owner could not be reached in time");
                }

                var signal = _leases.Changed.Next;
                if (_leases.TryEnter(shard))
                {
                    if (await TryLocalAsync(shard, entityId, message, residentOnly, remaining, cancellationToken) is { } local)
                    {
                        return local.Reply;
                    }
                }
                else if (_directory.HomeOf(shard) is { } home && home.NodeId != _node.NodeId)
                {
                    Interlocked.Increment(ref _forwarded);
                    var result = await _transport.SendAsync(home, entityId, message, residentOnly, remaining, cancellationToken);
                    switch (result.Outcome)
                    {
                        case ForwardOutcome.Replied:
                            return result.Reply;
                        case ForwardOutcome.Failed:
                            LogForwardFailed(shard, home.NodeId, result.Error!);
                            throw Refuse(shard, result.Error!);
                    }
                }
                else if (!_directory.CanReachDatabase)
                {
                    throw Refuse(shard, $"this node cannot reach the database ({_directory.LastError})");
                }

                if (!buffered)
                {
                    buffered = true;
                    if (Interlocked.Increment(ref _buffered) > _options.MaxBufferedMessages)
                    {
                        throw Refuse(shard, "too many messages are waiting for their shards");
                    }
                }

                _directory.RequestRound();
                await WaitForChangeAsync(signal, Backoff(attempt, remaining), cancellationToken);
            }
        }
        finally
        {
            if (buffered)
            {
                Interlocked.Decrement(ref _buffered);
            }
        }
    }

    /// <summary>
    /// A message another node forwarded here. Delivered if this node serves the shard, possibly after
    /// a short wait (a handoff to this node completes at its next round); otherwise null: not the
    /// owner, the sender asks again elsewhere (421).
    /// </summary>
    internal async Task<LocalReply?> DeliverForwardedAsync(string entityId, object message, bool residentOnly, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var shard = ShardId.Of(entityId, _leases.Count);
        var started = _leases.Now();
        var patience = Min(timeout, 2 * _options.RenewInterval);
        for (var attempt = 0; ; attempt++)
        {
            var signal = _leases.Changed.Next;
            if (_leases.TryEnter(shard))
            {
                var remaining = timeout - _clock.GetElapsedTime(started);
                if (await TryLocalAsync(shard, entityId, message, residentOnly, remaining, cancellationToken) is { } local)
                {
                    return local;
                }
            }

            var waited = _clock.GetElapsedTime(started);
            if (waited >= patience || !MayBecomeOwner(shard))
            {
                return null;
            }

            _directory.RequestRound();
            await WaitForChangeAsync(signal, Backoff(attempt, patience - waited), cancellationToken);
        }
    }

    /// <summary>
    /// Whether waiting could help: this node holds the lease (the shard is opening or being
    /// stopped here), or as far as it knows the shard is its own or nobody's (a handoff to it lands
    /// at its next round). Otherwise the sender should ask the owner it names at once.
    /// </summary>
    private bool MayBecomeOwner(int shard) =>
        _leases.Held(shard) is not null || _directory.HomeOf(shard) is not { } home || home.NodeId == _node.NodeId;

    /// <summary>Asks the local actor of an admitted shard; null if the actor stopped under the message (handoff or fence): route again.</summary>
    private async Task<LocalReply?> TryLocalAsync(int shard, string entityId, object message, bool residentOnly, TimeSpan remaining, CancellationToken cancellationToken)
    {
        try
        {
            var reply = residentOnly
                ? await _entities.AskIfResidentAsync(entityId, message, remaining, cancellationToken)
                : await _entities.AskAsync(entityId, message, remaining, cancellationToken);
            return new LocalReply(reply);
        }
        catch (ActorNotAvailableException e) when (e.InnerException is null or ShardNotHeldException)
        {
            // Stopped before handling it, or its write was refused for want of a lease: not stored.
            return null;
        }
        finally
        {
            _leases.Exit(shard);
        }
    }

    private ShardUnavailableException Refuse(int shard, string why)
    {
        Interlocked.Increment(ref _unavailable);
        return new ShardUnavailableException($"Shard {shard}: {why}.");
    }

    private async Task WaitForChangeAsync(Task signal, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(wait);
        await signal.WaitAsync(timer.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TimeSpan Backoff(int attempt, TimeSpan remaining) =>
        Min(remaining, Min(MaxRetryWait, TimeSpan.FromMilliseconds(10 << Math.Min(attempt, 5))));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(LogLevel.Warning, "Message for shard {Shard} not delivered by {Owner}: {Reason}")]
    private partial void LogForwardFailed(int shard, string owner, string reason);
}

/// <summary>The reply of a local actor (null: it was not resident and the ask was resident-only).</summary>
internal sealed record LocalReply(object? Reply);
