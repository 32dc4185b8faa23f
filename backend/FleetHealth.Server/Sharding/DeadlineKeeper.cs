using Akka.Actor;
using Akka.Hosting;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// Keeps every sensor's deadlines whether or not its actor is in memory: on the node that leads the
/// read-model projection (one in the cluster), a <see cref="DeadlineIndex"/> of every watched
/// sensor's next silence deadline, loaded from the read model when the node takes the lead and then
/// kept current from each committed projection batch; a sensor whose deadline is near is sent
/// <see cref="CheckDeadlines"/> through the shard region, which starts its actor wherever its shard
/// lives (after a node died, or after the sensor was passivated for idleness).
/// </summary>
/// <remarks>
/// Guarantees: a sensor is woken <see cref="FleetEngineOptions.DeadlineLookaheadSeconds"/> before its
/// deadline as the read model knows it, so a woken actor's own timer fires on time; the read model
/// trails the journal, so its deadlines are never later than the actor's (a heartbeat it has not
/// projected yet only moves the true deadline later), and a wake that finds nothing due costs one
/// message. A sensor whose deadline is not dealt with is woken again every
/// <see cref="FleetEngineOptions.DeadlineRetrySeconds"/>. Wakes are spread: at most
/// <see cref="FleetEngineOptions.MaxWakesPerSecond"/>, earliest deadline first, so a failover wakes the
/// silent sensors of the dead node by their deadlines, not a third of the fleet at once (sensors that
/// keep beating wake themselves). Tag settings changes re-time the index.
/// </remarks>
internal sealed partial class DeadlineKeeper(
    IServiceProvider services,
    NpgsqlDataSource dataSource,
    FleetPolicy policy,
    IRequiredActor<SensorRegion> region,
    DatabaseReadiness readiness,
    IOptions<FleetEngineOptions> options,
    TimeProvider clock,
    StorageOutageLog outages,
    ILogger<DeadlineKeeper> logger) : BackgroundService, IReadModelObserver
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly DeadlineIndex _index = new(
        TimeSpan.FromSeconds(options.Value.DeadlineLookaheadSeconds), TimeSpan.FromSeconds(options.Value.DeadlineRetrySeconds));

    private volatile bool _active;
    private long _woken;

    /// <summary>Sensors in the index (0 on a node that does not lead the projection).</summary>
    public int Watched => _index.Count;

    /// <summary>Wakes sent since start.</summary>
    public long Woken => Interlocked.Read(ref _woken);

    public void Committed(IReadOnlyList<SensorRow> rows)
    {
        if (!_active)
        {
            return;
        }

        var rules = policy.Current;
        foreach (var row in rows)
        {
            _index.Observe(row.SensorId, WatchOf(row), rules);
        }
    }

    /// <summary>Tag settings changed on this node: the sensors carrying them are re-timed.</summary>
    public void TagsChanged(IReadOnlySet<string> tags)
    {
        if (_active && tags.Count > 0)
        {
            _index.Recompute(tags, policy.Current);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        await policy.Loaded.WaitAsync(stoppingToken);
        // Resolved here, not injected: the projection's writer tells this keeper of its batches.
        var projection = services.GetRequiredService<ReadModelProjection>();
        var perTick = Math.Max(1, (int)(options.Value.MaxWakesPerSecond * Tick.TotalSeconds));
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (projection.Status.Leader != _active)
                {
                    await LeadOrFollowAsync(projection.Status.Leader, stoppingToken);
                }

                if (_active)
                {
                    Wake(_index.TakeDue(clock.GetUtcNow(), perTick));
                }
            }
            catch (NpgsqlException e) when (!stoppingToken.IsCancellationRequested)
            {
                // The load is retried on the next tick; an outage is counted, not logged each time.
                _active = false;
                if (!outages.Failed("deadline keeper loads failed", e))
                {
                    LogLoadFailed(e);
                }
            }
        }
    }

    private async Task LeadOrFollowAsync(bool lead, CancellationToken cancellationToken)
    {
        _index.Clear();
        _active = lead;
        if (!lead)
        {
            return;
        }

        // Live batches go in from now on; the load below only fills what they have not touched.
        var loaded = 0;
        var rules = policy.Current;
        await using var command = dataSource.CreateCommand("""
            SELECT sensor_id, status, status_since, last_seen, tags, interval_seconds, grace_seconds
            FROM sensors WHERE status IN ('healthy', 'fault', 'late', 'stale')
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new SensorRow(reader.GetString(0))
            {
                Status = reader.GetString(1),
                StatusSince = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                History = default(BeatHistory) with { LastSeen = reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3) },
                Tags = reader.GetFieldValue<string[]>(4),
                IntervalSeconds = reader.IsDBNull(5) ? null : reader.GetDouble(5),
                GraceSeconds = reader.IsDBNull(6) ? null : reader.GetDouble(6),
            };
            _index.ObserveIfAbsent(row.SensorId, WatchOf(row), rules);
            loaded++;
        }

        LogLeading(loaded, _index.Count);
    }

    private void Wake(IReadOnlyList<string> sensorIds)
    {
        foreach (var sensorId in sensorIds)
        {
            region.ActorRef.Tell(new SensorEnvelope(sensorId, CheckDeadlines.Instance), ActorRefs.NoSender);
        }

        Interlocked.Add(ref _woken, sensorIds.Count);
    }

    /// <summary>
    /// The read model's view of what the sensor's deadlines run from: its last heartbeat, or a later
    /// reactivation (the time a healthy row's status was set); for late and stale rows only the last
    /// heartbeat is known, which is never later than the actor's own.
    /// </summary>
    internal static SensorWatch WatchOf(SensorRow row)
    {
        var status = SensorRow.StatusOf(row.Status);
        var lastSeen = row.History.LastSeen;
        var from = status is LivenessStatus.Healthy or LivenessStatus.Fault && row.StatusSince > lastSeen ? row.StatusSince : lastSeen ?? row.StatusSince;
        var settings = new SensorSettings(
            row.IntervalSeconds is { } interval ? TimeSpan.FromSeconds(interval) : null,
            row.GraceSeconds is { } grace ? TimeSpan.FromSeconds(grace) : null,
            row.Tags);
        return new SensorWatch(status, from, settings);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline keeper: leading, {Loaded} sensors loaded from the read model, {Watched} watched")]
    private partial void LogLeading(int loaded, int watched);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline keeper: could not load the read model; retrying")]
    private partial void LogLoadFailed(Exception e);
}
