using System.Net.WebSockets;
using System.Threading.Channels;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Hosting;
using Npgsql;

namespace FleetHealth.Server.Live;

/// <summary>
/// One websocket connection. Three loops: receive (reads and validates client messages), work
/// (snapshots and watches, one at a time) and send (drains a bounded queue to the socket). The
/// hub offers deltas without ever waiting: a full queue drops the client (1008, "slow consumer"),
/// so a client that cannot keep up never makes server memory grow.
/// </summary>
internal sealed partial class LiveClient
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SnapshotWriteTimeout = TimeSpan.FromSeconds(30);

    private readonly long _id;
    private readonly WebSocket _socket;
    private readonly LiveHub _hub;
    private readonly LiveOptions _options;
    private readonly ILogger<LiveClient> _logger;
    private readonly Channel<byte[]> _outgoing;
    private readonly Channel<Work> _work = Channel.CreateBounded<Work>(new BoundedChannelOptions(8) { SingleReader = true });
    private readonly CancellationTokenSource _sendCancel = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);
    private readonly List<LiveTransition> _pendingTransitions = [];
    private LiveFilter _filter;
    private string? _watched;
    private bool _snapshotting;
    private int _resyncRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string? _closeReason;

    public LiveClient(long id, WebSocket socket, LiveFilter filter, byte[]? session, LiveHub hub, ILogger<LiveClient> logger)
    {
        _id = id;
        Session = session;
        _socket = socket;
        _filter = filter;
        _hub = hub;
        _options = hub.Options;
        _logger = logger;
        _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(_options.OutgoingQueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public long Id => _id;

    /// <summary>The hash of the session cookie the connection was opened with (null for none).</summary>
    public byte[]? Session { get; }

    public string? WatchedSensorId
    {
        get
        {
            lock (_lock)
            {
                return _watched;
            }
        }
    }

    /// <summary>Why the server closed this connection (null while open or when the client closed it).</summary>
    public string? CloseReason => _closeReason;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var send = SendLoopAsync();
        var work = WorkLoopAsync(linked.Token);
        _work.Writer.TryWrite(new SnapshotWork("connect", null));
        try
        {
            await ReceiveLoopAsync(linked.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            Close(WebSocketCloseStatus.NormalClosure, null);
            _work.Writer.TryComplete();
            await Task.WhenAll(Quietly(work), Quietly(send));
            _sendCancel.Dispose();
            _lifetime.Dispose();
        }
    }

    /// <summary>Queues a message without waiting; a full queue drops the client.</summary>
    public void Offer(byte[] message)
    {
        lock (_lock)
        {
            Enqueue(message);
        }
    }

    /// <summary>Called by the hub after a change feed interruption.</summary>
    public void RequestSnapshot(string reason)
    {
        Interlocked.Exchange(ref _resyncRequested, 1);
        _work.Writer.TryWrite(new SnapshotWork(reason, null));
    }

    /// <summary>
    /// The hub's batch for this client. While a snapshot is being read, changes are held back as
    /// ids and read again after it, so a delta read before the snapshot never lands after it.
    /// </summary>
    public void OfferBatch(ChangeBatch batch, IReadOnlyList<LiveSensor> rows, IReadOnlyDictionary<string, long>? counts, DateTimeOffset at, Dictionary<string, byte[]?> cache)
    {
        lock (_lock)
        {
            if (_snapshotting)
            {
                _pendingIds.UnionWith(batch.SensorIds);
                _pendingTransitions.AddRange(batch.Transitions);
                return;
            }

            if (!cache.TryGetValue(_filter.Key, out var bytes))
            {
                var delta = LiveHub.BuildDelta(_filter, batch.SensorIds, rows, batch.Transitions, batch.TransitionsDropped, counts, at);
                bytes = delta is null ? null : LiveHub.Serialize(delta, ApiJsonContext.Default.DeltaMessage);
                cache[_filter.Key] = bytes;
            }

            if (bytes is not null)
            {
                Enqueue(bytes);
            }
        }
    }

    private void Enqueue(byte[] message)
    {
        if (_closeReason is not null)
        {
            return;
        }

        if (!_outgoing.Writer.TryWrite(message))
        {
            _hub.CountSlowDrop();
            LogSlow(_id, _options.OutgoingQueueLength);
            Close(WebSocketCloseStatus.PolicyViolation, $"slow consumer: more than {_options.OutgoingQueueLength} messages waiting");
        }
    }

    /// <summary>Ends the connection because its session ended (signed out, expired, operator disabled): 1008.</summary>
    public void EndSession() => Close(WebSocketCloseStatus.PolicyViolation, "session ended: signed out, expired, or the operator was disabled");

    /// <summary>Stops sending: the queue is dropped, a close frame goes out, and a peer that does not answer is cut.</summary>
    private void Close(WebSocketCloseStatus status, string? reason)
    {
        lock (_lock)
        {
            if (_closeReason is not null)
            {
                return;
            }

            // Status first: completing the queue wakes the send loop, which sends the close frame
            // with whatever status it then reads (it once read the default, 1000, instead of 1009).
            _closeStatus = status;
            _closeReason = reason ?? "closed";
            _outgoing.Writer.TryComplete();
        }

        try
        {
            _sendCancel.CancelAfter(CloseGrace);
            _lifetime.CancelAfter(CloseGrace * 2);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            var dropped = false;
            while (!dropped && await _outgoing.Reader.WaitToReadAsync(_sendCancel.Token))
            {
                while (_outgoing.Reader.TryRead(out var message))
                {
                    if (_closeReason is not null && _closeStatus != WebSocketCloseStatus.NormalClosure)
                    {
                        dropped = true;  // dropped: what is queued no longer matters
                        break;
                    }

                    await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _sendCancel.Token);
                    _hub.CountSent();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ChannelClosedException)
        {
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(CloseGrace);
                await _socket.CloseOutputAsync(_closeStatus, Truncate(_closeReason ?? "closed"), timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[_options.MaxClientMessageBytes];
        var bad = 0;
        while (_socket.State == WebSocketState.Open)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    _hub.CountAbuse();
                    Close(WebSocketCloseStatus.MessageTooBig, $"message over {buffer.Length} bytes");
                    return;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                Close(WebSocketCloseStatus.NormalClosure, "client closed");
                return;
            }

            var message = result.MessageType == WebSocketMessageType.Binary
                ? new InvalidClientMessage("binary", "Messages are JSON text frames.")
                : ClientMessage.Parse(buffer.AsMemory(0, count));
            switch (message)
            {
                case InvalidClientMessage invalid:
                    Offer(LiveHub.Serialize(new ErrorMessage(invalid.Code, invalid.Message), ApiJsonContext.Default.ErrorMessage));
                    if (++bad > _options.MaxBadMessages)
                    {
                        _hub.CountAbuse();
                        Close(WebSocketCloseStatus.PolicyViolation, $"more than {_options.MaxBadMessages} invalid messages");
                        return;
                    }

                    break;
                case PingClientMessage ping:
                    Offer(LiveHub.Serialize(new PongMessage(ping.Id, DateTimeOffset.UtcNow), ApiJsonContext.Default.PongMessage));
                    break;
                case SubscribeClientMessage subscribe:
                    // Waits when 8 requests are queued: a client that floods subscribes is slowed, not buffered.
                    await _work.Writer.WriteAsync(new SnapshotWork("subscribe", subscribe.Filter), cancellationToken);
                    break;
                case WatchClientMessage watch:
                    await _work.Writer.WriteAsync(new WatchWork(watch.SensorId), cancellationToken);
                    break;
            }
        }
    }

    private async Task WorkLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken))
            {
                switch (work)
                {
                    case SnapshotWork snapshot:
                        if (snapshot.Filter is null && snapshot.Reason == "resync" && Interlocked.Exchange(ref _resyncRequested, 0) == 0)
                        {
                            break;  // an earlier resync already covered this one
                        }

                        await SnapshotAsync(snapshot.Reason, snapshot.Filter, cancellationToken);
                        break;
                    case WatchWork watch:
                        await WatchAsync(watch.SensorId, cancellationToken);
                        break;
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogSnapshotFailed(_id, e.Message);
            Close(WebSocketCloseStatus.InternalServerError, "database unavailable; reconnect later");
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
    }

    private async Task SnapshotAsync(string reason, LiveFilter? newFilter, CancellationToken cancellationToken)
    {
        LiveFilter filter;
        lock (_lock)
        {
            if (newFilter is not null)
            {
                _filter = newFilter;
            }

            filter = _filter;
            _snapshotting = true;
            _pendingIds.Clear();
            _pendingTransitions.Clear();
        }

        var counts = await _hub.Reads.CountsAsync(cancellationToken);
        var (sensors, matched) = await _hub.Reads.SnapshotAsync(filter, _options.SnapshotLimit, cancellationToken);
        var snapshotId = _hub.NextSnapshotId();
        var chunk = _options.SnapshotChunk;
        var first = sensors.Count <= chunk ? sensors : sensors.GetRange(0, chunk);
        await WriteAsync(LiveHub.Serialize(
            new SnapshotMessage(snapshotId, reason, DateTimeOffset.UtcNow, _hub.Listening, filter, counts, counts.Values.Sum(), matched,
                _options.SnapshotLimit, matched > sensors.Count, first, sensors.Count <= chunk),
            ApiJsonContext.Default.SnapshotMessage), cancellationToken);
        for (var start = chunk; start < sensors.Count; start += chunk)
        {
            var part = sensors.GetRange(start, Math.Min(chunk, sensors.Count - start));
            await WriteAsync(LiveHub.Serialize(
                new SnapshotPartMessage(snapshotId, part, start + part.Count >= sensors.Count),
                ApiJsonContext.Default.SnapshotPartMessage), cancellationToken);
        }

        // Catch up with what changed while the snapshot was read and sent, then go live.
        while (true)
        {
            string[] ids;
            LiveTransition[] transitions;
            lock (_lock)
            {
                if (_pendingIds.Count == 0 && _pendingTransitions.Count == 0)
                {
                    _snapshotting = false;
                    return;
                }

                ids = [.. _pendingIds];
                transitions = [.. _pendingTransitions];
                _pendingIds.Clear();
                _pendingTransitions.Clear();
            }

            var rows = await _hub.Reads.SensorsAsync(ids, cancellationToken);
            var delta = LiveHub.BuildDelta(filter, ids, rows, transitions, 0, null, DateTimeOffset.UtcNow);
            if (delta is not null)
            {
                await WriteAsync(LiveHub.Serialize(delta, ApiJsonContext.Default.DeltaMessage), cancellationToken);
            }
        }
    }

    private async Task WatchAsync(string? sensorId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _watched = sensorId;
        }

        if (sensorId is not null && SensorId.TryParse(sensorId, out var id, out _))
        {
            var view = await _hub.Sensors.FindAsync(id, cancellationToken);
            Offer(LiveHub.Serialize(new SensorMessage(sensorId, view), ApiJsonContext.Default.SensorMessage));
        }
    }

    /// <summary>Snapshot parts wait for room in the queue (the client's own request, so its own pace), up to a limit.</summary>
    private async Task WriteAsync(byte[] message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SnapshotWriteTimeout);
        try
        {
            await _outgoing.Writer.WriteAsync(message, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _hub.CountSlowDrop();
            Close(WebSocketCloseStatus.PolicyViolation, "slow consumer: snapshot not taken in time");
            throw;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ChannelClosedException)
        {
        }
    }

    /// <summary>A close reason is at most 123 bytes.</summary>
    private static string Truncate(string reason) => reason.Length <= 120 ? reason : reason[..120];

    [LoggerMessage(LogLevel.Warning, "Websocket client {Id} dropped: more than {Limit} messages waiting (slow consumer)")]
    private partial void LogSlow(long id, int limit);

    [LoggerMessage(LogLevel.Warning, "Websocket client {Id}: snapshot failed ({Reason}); closing")]
    private partial void LogSnapshotFailed(long id, string reason);

    private abstract record Work;

    private sealed record SnapshotWork(string Reason, LiveFilter? Filter) : Work;

    private sealed record WatchWork(string? SensorId) : Work;
}
