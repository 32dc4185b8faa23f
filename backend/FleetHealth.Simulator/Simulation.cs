using System.Threading.Channels;

namespace FleetHealth.Simulator;

/// <summary>
/// One run: the <see cref="VirtualFleet"/> generates beats, a dispatcher sends them with bounded
/// concurrency, and, with an offline queue, undeliverable beats go to disk and a replayer sends
/// them in order before any new beat goes out directly.
/// </summary>
internal sealed class Simulation : IAsyncDisposable
{
    private const int MaxChunk = 4096;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly SimulatorOptions _options;
    private readonly IBeatTransport _transport;
    private readonly TextWriter _output;
    private readonly OfflineQueue? _queue;
    private readonly SemaphoreSlim _gate;
    private readonly HashSet<string> _inFlightSensors = new(StringComparer.Ordinal);
    private volatile bool _dispatchDone;

    public Simulation(SimulatorOptions options, IBeatTransport transport, TextWriter output)
    {
        _options = options;
        _transport = transport;
        _output = output;
        Stats = new SimulatorStats();
        Fleet = new VirtualFleet(options, Stats);
        _queue = options.QueueDir is null ? null : new OfflineQueue(options.QueueDir);
        _gate = new SemaphoreSlim(options.Concurrency, options.Concurrency);
    }

    public VirtualFleet Fleet { get; }

    public SimulatorStats Stats { get; }

    /// <summary>Beats waiting in the offline queue.</summary>
    public long Queued => _queue?.Pending ?? 0;

    /// <summary>
    /// Runs until <paramref name="abort"/> (Ctrl-C: in-flight beats are queued, the queue is kept
    /// for the next run) or until <see cref="SimulatorOptions.Duration"/> has passed and the queue
    /// is drained (at most <see cref="SimulatorOptions.Drain"/> more).
    /// </summary>
    public async Task RunAsync(CancellationToken abort)
    {
        using var stopGenerating = CancellationTokenSource.CreateLinkedTokenSource(abort);
        if (_options.Duration is { } duration)
        {
            stopGenerating.CancelAfter(duration);
        }

        using var stopReplay = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var stopBackground = new CancellationTokenSource();
        var channel = Channel.CreateBounded<Beat>(new BoundedChannelOptions(65_536)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        var flush = _queue?.FlushAsync(TimeSpan.FromMilliseconds(100), stopBackground.Token) ?? Task.CompletedTask;
        var report = ReportAsync(stopBackground.Token);
        var generate = Task.Run(() => Fleet.RunAsync(channel.Writer, stopGenerating.Token), CancellationToken.None);
        var replay = _queue is null ? Task.CompletedTask : Task.Run(() => ReplayAsync(_queue, stopReplay.Token), CancellationToken.None);
        await DispatchAsync(channel.Reader, abort);
        await generate;
        _dispatchDone = true;
        stopReplay.CancelAfter(_options.Drain);
        await replay;
        await stopBackground.CancelAsync();
        await flush;
        await report;
        await _output.WriteLineAsync(Stats.Summary(Queued) + " (final)");
    }

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync();
        _queue?.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// Sends new beats directly while the queue is empty. Order per sensor is kept by two rules:
    /// a sensor never has two beats in flight, and before a beat joins the queue every direct
    /// send still in flight has finished (so a failed earlier beat is queued before it).
    /// </summary>
    private async Task DispatchAsync(ChannelReader<Beat> reader, CancellationToken abort)
    {
        var batch = new List<Beat>(_transport.MaxBatch);
        var inFlight = new List<Task>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < _transport.MaxBatch && reader.TryRead(out var beat))
            {
                batch.Add(beat);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            var items = batch.ToArray();
            batch.Clear();
            if (items.Any(b => IsInFlight(b.SensorId)))
            {
                await WhenAllAsync(inFlight);
            }

            if (_queue is { HasPending: true } || abort.IsCancellationRequested)
            {
                // Older beats are queued (they go first), or we are stopping.
                await WhenAllAsync(inFlight);
                Keep(items);
                continue;
            }

            await _gate.WaitAsync(CancellationToken.None);
            lock (_inFlightSensors)
            {
                foreach (var beat in items)
                {
                    _inFlightSensors.Add(beat.SensorId);
                }
            }

            inFlight.Add(SendDirectAsync(items, abort));
            if (inFlight.Count > 4 * _options.Concurrency)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        await WhenAllAsync(inFlight);
    }

    private static async Task WhenAllAsync(List<Task> tasks)
    {
        await Task.WhenAll(tasks);
        tasks.Clear();
    }

    private bool IsInFlight(string sensorId)
    {
        lock (_inFlightSensors)
        {
            return _inFlightSensors.Contains(sensorId);
        }
    }

    private async Task SendDirectAsync(Beat[] items, CancellationToken abort)
    {
        try
        {
            var results = await _transport.SendAsync(items, abort);
            var retry = Count(items, results);
            if (retry.Length > 0)
            {
                Keep(retry);
            }
        }
        finally
        {
            lock (_inFlightSensors)
            {
                foreach (var beat in items)
                {
                    _inFlightSensors.Remove(beat.SensorId);
                }
            }

            _gate.Release();
        }
    }

    private void Keep(Beat[] items)
    {
        if (_queue is null)
        {
            Stats.AddFailed(items.Length);
        }
        else
        {
            _queue.Append(items);
        }
    }

    /// <summary>Counts each beat's outcome; returns the beats to try again, in order.</summary>
    private Beat[] Count(Beat[] beats, Delivery[] results)
    {
        var acked = results.Count(r => r == Delivery.Delivered);
        var rejected = results.Count(r => r == Delivery.Rejected);
        Stats.AddAcked(acked);
        Stats.AddRejected(rejected);
        if (acked + rejected == beats.Length)
        {
            return [];
        }

        Stats.AddRetries(beats.Length - acked - rejected);
        return [.. beats.Where((_, i) => results[i] == Delivery.Retry)];
    }

    private async Task ReplayAsync(OfflineQueue queue, CancellationToken stop)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var chunk = queue.Peek(MaxChunk);
                if (chunk is null)
                {
                    if (_dispatchDone && !queue.HasPending)
                    {
                        return;
                    }

                    await Task.Delay(50, stop);
                    continue;
                }

                IReadOnlyList<Beat> left = chunk.Beats;
                while (left.Count > 0)
                {
                    var groups = left.Chunk(_transport.MaxBatch).ToArray();
                    var round = new Round();
                    var results = await Task.WhenAll(groups.Select(g => SendGatedAsync(g, round, stop)));
                    var retry = new List<Beat>();
                    for (var i = 0; i < groups.Length; i++)
                    {
                        retry.AddRange(results[i] is { } result ? Count(groups[i], result) : groups[i]);
                    }

                    left = retry;
                    if (left.Count > 0)
                    {
                        await Task.Delay(backoff, stop);
                        backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    }
                }

                queue.Advance(chunk);
                backoff = TimeSpan.FromMilliseconds(100);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: what is left stays on disk for the next run.
        }
    }

    /// <summary>Sends one group of a replay round; null (not tried) once another group of the round needed a retry.</summary>
    private async Task<Delivery[]?> SendGatedAsync(Beat[] group, Round round, CancellationToken stop)
    {
        await _gate.WaitAsync(stop);
        try
        {
            if (round.Failed)
            {
                return null;
            }

            var results = await _transport.SendAsync(group, stop);
            if (results.Contains(Delivery.Retry))
            {
                round.Failed = true;
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One replay round: once the server fails a request, the rest of the round is not sent.</summary>
    private sealed class Round
    {
        private volatile bool _failed;

        public bool Failed
        {
            get => _failed;
            set => _failed = value;
        }
    }

    private async Task ReportAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.Report);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await _output.WriteLineAsync(Stats.Summary(Queued));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Done.
        }
    }
}
