using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text.Json;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Live;

/// <summary>
/// Fans read-model changes out to this node's websocket clients. Notifications (from
/// <see cref="ChangeFeedListener"/>) only mark sensors dirty; every <see cref="LiveOptions.BatchMilliseconds"/>
/// the hub reads the dirty rows once, for all clients, and offers each client one delta built for
/// its filter (clients with the same filter share the serialized bytes). So the database work and
/// the messages per client per second are bounded whatever the fleet's event rate.
/// </summary>
internal sealed partial class LiveHub : BackgroundService, IChangeFeedSubscriber
{
    private readonly ConcurrentDictionary<long, LiveClient> _clients = new();
    private readonly ChangeCoalescer _changes;
    private readonly LiveReads _reads;
    private readonly SensorQueries _sensors;
    private readonly SessionStore _sessions;
    private readonly DatabaseReadiness _readiness;
    private readonly ILogger<LiveHub> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private long _nextClientId;
    private long _nextSnapshotId;
    private long _notifications;
    private long _batchesSent;
    private long _slowDropped;
    private long _abuseClosed;
    private long _lastNotificationTicks;
    private volatile bool _listening;
    private volatile bool _countsDirty = true;
    private DateTimeOffset _lastCounts = DateTimeOffset.MinValue;

    public LiveHub(
        LiveReads reads,
        SensorQueries sensors,
        SessionStore sessions,
        DatabaseReadiness readiness,
        IOptions<LiveOptions> options,
        IMeterFactory meterFactory,
        ILoggerFactory loggerFactory)
    {
        _reads = reads;
        _sensors = sensors;
        _sessions = sessions;
        _readiness = readiness;
        Options = options.Value;
        _changes = new ChangeCoalescer(Options.MaxTransitionsPerBatch);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LiveHub>();
        var meter = meterFactory.Create("FleetHealth.Live");
        meter.CreateObservableGauge("fleethealth.live.clients", () => _clients.Count, description: "Open websocket clients of the dashboard feed");
        meter.CreateObservableCounter("fleethealth.live.batches_sent", () => Interlocked.Read(ref _batchesSent), description: "Messages sent to websocket clients");
        meter.CreateObservableCounter("fleethealth.live.slow_clients_dropped", () => Interlocked.Read(ref _slowDropped));
    }

    public LiveOptions Options { get; }

    public int ClientCount => _clients.Count;

    public bool Listening => _listening;

    internal LiveReads Reads => _reads;

    internal SensorQueries Sensors => _sensors;

    public LiveStatus Status()
    {
        var last = Interlocked.Read(ref _lastNotificationTicks);
        return new LiveStatus(
            _clients.Count,
            _listening,
            last == 0 ? null : new DateTimeOffset(last, TimeSpan.Zero),
            Interlocked.Read(ref _notifications),
            Interlocked.Read(ref _batchesSent),
            Interlocked.Read(ref _slowDropped),
            Interlocked.Read(ref _abuseClosed));
    }

    /// <summary>Serves one accepted websocket until it closes.</summary>
    public async Task ServeAsync(WebSocket socket, LiveFilter filter, byte[]? session, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextClientId);
        var client = new LiveClient(id, socket, filter, session, this, _loggerFactory.CreateLogger<LiveClient>());
        _clients[id] = client;
        LogConnected(id, _clients.Count);
        try
        {
            await client.RunAsync(cancellationToken);
        }
        finally
        {
            _clients.TryRemove(id, out _);
            LogDisconnected(id, client.CloseReason ?? "closed");
        }
    }

    string IChangeFeedSubscriber.Channel => ChangeFeedPayload.Channel;

    void IChangeFeedSubscriber.OnListening() => OnFeedUp();

    void IChangeFeedSubscriber.OnLost() => OnFeedDown();

    /// <summary>A notification payload from the change feed.</summary>
    public void OnNotification(string payload)
    {
        Interlocked.Increment(ref _notifications);
        Interlocked.Exchange(ref _lastNotificationTicks, DateTimeOffset.UtcNow.UtcTicks);
        var (ids, transitions) = ChangeFeedPayload.Parse(payload);
        _changes.AddSensors(ids);
        _changes.AddTransitions(transitions);
    }

    /// <summary>The change feed connection was lost: clients are told their view may go stale.</summary>
    public void OnFeedDown()
    {
        if (!_listening)
        {
            return;
        }

        _listening = false;
        var message = Serialize(new FeedMessage("interrupted"), ApiJsonContext.Default.FeedMessage);
        foreach (var client in _clients.Values)
        {
            client.Offer(message);
        }
    }

    /// <summary>The change feed listens (again): changes may have been missed, so every client gets a fresh snapshot.</summary>
    public void OnFeedUp()
    {
        _listening = true;
        _countsDirty = true;
        var message = Serialize(new FeedMessage("live"), ApiJsonContext.Default.FeedMessage);
        foreach (var client in _clients.Values)
        {
            client.Offer(message);
            client.RequestSnapshot("resync");
        }
    }

    internal long NextSnapshotId() => Interlocked.Increment(ref _nextSnapshotId);

    internal void CountSent() => Interlocked.Increment(ref _batchesSent);

    internal void CountSlowDrop() => Interlocked.Increment(ref _slowDropped);

    internal void CountAbuse() => Interlocked.Increment(ref _abuseClosed);

    internal static byte[] Serialize<T>(T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _readiness.Migrated.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Options.BatchMilliseconds));
            var sessionsChecked = DateTimeOffset.UtcNow;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (DateTimeOffset.UtcNow - sessionsChecked >= TimeSpan.FromSeconds(Options.SessionCheckSeconds))
                {
                    sessionsChecked = DateTimeOffset.UtcNow;
                    await EndClosedSessionsAsync(stoppingToken);
                }

                var batch = _changes.Drain();
                try
                {
                    await TickAsync(batch, stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
                {
                    // Nothing of the batch is lost: its ids and transitions are retried next period.
                    _changes.AddSensors(batch.SensorIds);
                    _changes.AddTransitions(batch.Transitions);
                    LogTickFailed(e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TickAsync(ChangeBatch batch, CancellationToken cancellationToken)
    {
        if (!batch.IsEmpty)
        {
            _countsDirty = true;
        }

        var now = DateTimeOffset.UtcNow;
        Dictionary<string, long>? counts = null;
        if (_countsDirty && now - _lastCounts >= TimeSpan.FromMilliseconds(Options.CountsMilliseconds) && !_clients.IsEmpty)
        {
            _countsDirty = false;
            _lastCounts = now;
            counts = await _reads.CountsAsync(cancellationToken);
        }

        if ((batch.IsEmpty && counts is null) || _clients.IsEmpty)
        {
            return;
        }

        var rows = batch.SensorIds.Count == 0 ? [] : await _reads.SensorsAsync(batch.SensorIds, cancellationToken);
        var changed = new HashSet<string>(batch.SensorIds, StringComparer.Ordinal);
        var watched = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var client in _clients.Values)
        {
            if (client.WatchedSensorId is { } id && changed.Contains(id) && !watched.ContainsKey(id) && SensorId.TryParse(id, out var sensorId, out _))
            {
                watched[id] = Serialize(new SensorMessage(id, await _sensors.FindAsync(sensorId, cancellationToken)), ApiJsonContext.Default.SensorMessage);
            }
        }

        var deltas = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var client in _clients.Values)
        {
            client.OfferBatch(batch, rows, counts, now, deltas);
            if (client.WatchedSensorId is { } id && watched.TryGetValue(id, out var detail))
            {
                client.Offer(detail);
            }
        }
    }

    /// <summary>
    /// The delta one filter sees: changed rows that match it (upserts), changed ids that do not
    /// match or no longer exist (removes: the client drops them if it holds them), all transitions.
    /// Null when there is nothing to send.
    /// </summary>
    internal static DeltaMessage? BuildDelta(
        LiveFilter filter,
        IReadOnlyList<string> changedIds,
        IReadOnlyList<LiveSensor> rows,
        IReadOnlyList<LiveTransition> transitions,
        int transitionsDropped,
        IReadOnlyDictionary<string, long>? counts,
        DateTimeOffset at)
    {
        var upserts = new List<LiveSensor>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            present.Add(row.Id);
            if (filter.Matches(row))
            {
                upserts.Add(row);
            }
        }

        var removes = new List<string>();
        foreach (var id in changedIds)
        {
            if (!present.Contains(id))
            {
                removes.Add(id);
            }
        }

        foreach (var row in rows)
        {
            if (!filter.Matches(row))
            {
                removes.Add(row.Id);
            }
        }

        return upserts.Count == 0 && removes.Count == 0 && transitions.Count == 0 && counts is null
            ? null
            : new DeltaMessage(at, counts, upserts, removes, transitions, transitionsDropped);
    }

    internal ILogger Logger => _logger;

    [LoggerMessage(LogLevel.Debug, "Websocket client {Id} connected ({Count} open)")]
    private partial void LogConnected(long id, int count);

    [LoggerMessage(LogLevel.Debug, "Websocket client {Id} disconnected: {Reason}")]
    private partial void LogDisconnected(long id, string reason);

    [LoggerMessage(LogLevel.Warning, "Live batch failed: {Reason}")]
    private partial void LogTickFailed(string reason);
}
