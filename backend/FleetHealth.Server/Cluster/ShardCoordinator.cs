using System.Threading.Channels;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// This node's part of the cluster (Akka's coordinator and the region's shard bookkeeping in one).
/// A renew loop keeps its membership and leases alive; a coordination loop takes the decisions it
/// may (free shards, takeovers, rebalance requests; <see cref="ShardAllocation"/>), hands over
/// shards others asked for, and wakes the sensors of shards that arrived; a fence loop stops every
/// shard whose lease this node can no longer prove (see <see cref="ShardLeases"/>). Split: this
/// file (lifecycle, loops), Rounds (applying renewals and decisions), Stopping (fence, handoff,
/// leave, wake).
/// </summary>
internal sealed partial class ShardCoordinator(
    ShardLeases leases,
    ShardLeaseStore store,
    ClusterNode node,
    IOptions<ClusterOptions> options,
    IShardedEntities entities,
    DatabaseReadiness readiness,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<ShardCoordinator> logger) : BackgroundService, IShardDirectory
{
    private const int KeptEvents = 1000;
    private static readonly TimeSpan MinRoundGap = TimeSpan.FromMilliseconds(50);

    private readonly ClusterOptions _options = options.Value;
    private readonly Channel<bool> _pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _firstRound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _renewed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ClusterView _view = ClusterView.Empty;
    private volatile string? _lastError;
    private long _rounds;

    /// <summary>The cluster as the last round read it.</summary>
    public ClusterView View => _view;

    /// <summary>Completes after this node's first successful round (it is a member and holds its first shards).</summary>
    public Task FirstRound => _firstRound.Task;

    /// <summary>Why the last renewal or round failed (null after a successful renewal): this node cannot reach the database.</summary>
    public string? LastError => _lastError;

    /// <summary>When the last round succeeded (this node's clock), if ever.</summary>
    public DateTimeOffset? LastRoundAt { get; private set; }

    /// <summary>
    /// False while rounds fail: no decision can be taken or learnt, so a message for a shard with no
    /// known owner is answered 503 at once instead of being held until its deadline.
    /// </summary>
    public bool CanReachDatabase => _lastError is null;

    public ShardHome? HomeOf(int shard) => _view.HomeOf(shard);

    /// <summary>Asks for a round now (coalesced): a message found its shard between owners.</summary>
    public void RequestRound() => _pokes.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        var address = await node.Address.WaitAsync(stoppingToken);
        if (!await EnsureShardsAsync(stoppingToken))
        {
            return;
        }

        LogStarting(node.NodeId, address, _options.Shards);
        // Three loops, so that a slow coordination round (handoffs, a busy database) never delays a
        // renewal, and neither delays a fence.
        await Task.WhenAll(
            RenewLoopAsync(address, stoppingToken),
            CoordinateLoopAsync(stoppingToken),
            FenceLoopAsync(stoppingToken));
    }

    private async Task<bool> EnsureShardsAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                var configured = await store.EnsureShardsAsync(_options.Shards, stoppingToken);
                if (configured == _options.Shards)
                {
                    return true;
                }

                LogShardMismatch(_options.Shards, configured);
                lifetime.StopApplication();
                return false;
            }
            catch (Exception e) when (IsTransient(e, stoppingToken))
            {
                Failed(e);
                await Task.Delay(backoff, clock, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.RenewInterval.Ticks));
            }
        }
    }

    /// <summary>Membership heartbeat and lease renewal, every renew interval, nothing else.</summary>
    private async Task RenewLoopAsync(Uri address, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                timeout.CancelAfter(_options.Lease);
                try
                {
                    var releases = leases.Releases;
                    var sentAt = leases.Now();
                    var renewed = await store.RenewAsync(node, address, timeout.Token);
                    ApplyRenewals(renewed, sentAt, releases);
                    _lastError = null;
                    _renewed.TrySetResult();
                }
                catch (Exception e) when (IsTransient(e, stoppingToken))
                {
                    // The fence loop does not wait for renewals: leases that cannot be renewed lapse on time.
                    Failed(e);
                }
            }

            await Delay(_options.RenewInterval, stoppingToken);
        }
    }

    /// <summary>Decisions, handoffs and waking, every renew interval or sooner when a message finds its shard between owners.</summary>
    private async Task CoordinateLoopAsync(CancellationToken stoppingToken)
    {
        await _renewed.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                timeout.CancelAfter(_options.Lease);
                try
                {
                    await CoordinateAsync(timeout.Token);
                    LastRoundAt = clock.GetUtcNow();
                    if (_firstRound.TrySetResult())
                    {
                        await store.JoinedAsync(node, timeout.Token);
                    }

                    if (Interlocked.Increment(ref _rounds) % 100 == 0)
                    {
                        await store.PruneEventsAsync(KeptEvents, timeout.Token);
                    }
                }
                catch (Exception e) when (IsTransient(e, stoppingToken))
                {
                    Failed(e);
                }
                finally
                {
                    leases.Changed.Pulse();
                }
            }

            await NextRoundAsync(stoppingToken);
        }
    }

    private async Task NextRoundAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(_options.RenewInterval);
        try
        {
            await _pokes.Reader.ReadAsync(wait.Token);
            await Task.Delay(MinRoundGap, clock, stoppingToken);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The regular period is over.
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, clock, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends.
        }
    }

    private void Failed(Exception e)
    {
        if (_lastError is null)
        {
            LogRoundFailed(e.Message);
        }

        _lastError = e.Message;
    }

    private static bool IsTransient(Exception e, CancellationToken stoppingToken) =>
        e is NpgsqlException or TimeoutException or OperationCanceledException && !stoppingToken.IsCancellationRequested;

    [LoggerMessage(LogLevel.Information, "Cluster node {NodeId} at {Address}, {Shards} shards")]
    private partial void LogStarting(string nodeId, Uri address, int shards);

    [LoggerMessage(LogLevel.Critical, "Cluster:Shards is {Configured} but this database's cluster was created with {Existing} shards; stopping")]
    private partial void LogShardMismatch(int configured, int existing);

    [LoggerMessage(LogLevel.Warning, "Cluster round failed ({Reason}); leases this node cannot renew will be fenced on time")]
    private partial void LogRoundFailed(string reason);
}
