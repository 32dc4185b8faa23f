using System.Threading.Channels;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Sensors;
using FleetHealth.Domain.Serial;
using FleetHealth.Fleet;
using FleetHealth.Serial;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Storage;

namespace FleetHealth.Server.Serial;

/// <summary>
/// Reads one port: a dedicated thread reads bytes (each read waits at most <see cref="ReadTimeout"/>,
/// so that a stop is seen in time and the port is disposed only between reads), frames and parses
/// lines and counts what it drops; valid heartbeats go through a bounded in-memory queue to the
/// <see cref="IHeartbeatSink"/>, one at a time, retried with backoff while storage is down. A
/// line is accepted only once the sink returned. The device vanishing is retried with backoff.
/// </summary>
internal sealed partial class SerialPortReader(
    SerialPortStatus status,
    int queueCapacity,
    ISerialPortFactory ports,
    IHeartbeatSink sink,
    DatabaseReadiness readiness,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxReopenBackoff = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxStorageBackoff = TimeSpan.FromSeconds(5);

    private readonly SerialPortOptions _options = status.Options;
    private readonly SensorId? _defaultSensor = status.Options.DefaultSensorId is { } id && SensorId.TryParse(id, out var parsed, out _) ? parsed : null;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var queue = Channel.CreateBounded<Heartbeat>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, SingleWriter = true });
        var reading = Task.Factory.StartNew(
            () => ReadLoop(queue.Writer, stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await SubmitLoopAsync(queue.Reader, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await reading.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void ReadLoop(ChannelWriter<Heartbeat> queue, CancellationToken stoppingToken)
    {
        var framer = new LineFramer();
        var lines = new List<FramedLine>();
        var buffer = new byte[4096];
        var backoff = MinBackoff;
        var opened = false;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            ISerialPort port;
            try
            {
                port = ports.Open(_options.Device, _options.Baud);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                status.Error(e.Message, clock.GetUtcNow());
                // Warn on the first failure and then once a minute or so, not every retry.
                if (failures++ % 30 == 0)
                {
                    LogOpenFailed(_options.Device, e.Message, backoff, failures);
                }

                stoppingToken.WaitHandle.WaitOne(backoff);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxReopenBackoff.Ticks));
                continue;
            }

            if (opened)
            {
                status.Reconnected();
            }

            opened = true;
            failures = 0;
            backoff = MinBackoff;
            framer.Reset();
            status.SetConnected(true);
            LogOpened(_options.Device, _options.Baud);
            try
            {
                while (!stoppingToken.IsCancellationRequested)
                {
                    var n = port.Read(buffer, ReadTimeout);
                    if (n == 0)
                    {
                        continue;
                    }

                    framer.Feed(buffer.AsSpan(0, n), lines);
                    foreach (var line in lines)
                    {
                        Handle(line, queue);
                    }

                    lines.Clear();
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // IOException when the device goes away; anything else must not kill the port's thread either.
                status.Error(e.Message, clock.GetUtcNow());
                LogLost(_options.Device, e.Message);
                stoppingToken.WaitHandle.WaitOne(backoff);
            }
            finally
            {
                status.SetConnected(false);
                port.Dispose();
            }
        }

        queue.TryComplete();
    }

    private void Handle(FramedLine line, ChannelWriter<Heartbeat> queue)
    {
        if (line.IsOverlong)
        {
            status.Overlong();
            status.Error($"line longer than {LineFramer.DefaultMaxLength} bytes: cut and discarded", clock.GetUtcNow());
            return;
        }

        var parsed = SerialLineParser.Parse(line.Bytes, _defaultSensor, clock.GetUtcNow());
        switch (parsed.Kind)
        {
            case LineKind.Empty:
                return;
            case LineKind.Heartbeat:
                if (queue.TryWrite(parsed.Heartbeat!))
                {
                    status.Enqueued();
                }
                else
                {
                    status.Overflow();
                    status.Error($"in-memory queue full ({queueCapacity}): heartbeat of {parsed.Heartbeat!.SensorId} dropped", clock.GetUtcNow());
                }

                return;
            default:
                status.Dropped(parsed.Kind);
                status.Error($"{parsed.Kind}: {parsed.Error}", clock.GetUtcNow());
                LogDropped(_options.Device, parsed.Kind, parsed.Error);
                return;
        }
    }

    private async Task SubmitLoopAsync(ChannelReader<Heartbeat> queue, CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        await foreach (var heartbeat in queue.ReadAllAsync(stoppingToken))
        {
            var backoff = MinBackoff;
            while (true)
            {
                try
                {
                    // No key on a serial line: the physical connection is the trust boundary.
                    var outcome = await sink.SubmitAsync(heartbeat, requiredTag: null, stoppingToken);
                    status.Dequeued();
                    if (outcome == IngestOutcome.UnknownSensor)
                    {
                        status.UnknownSensor();
                    }
                    else
                    {
                        status.LineOk(clock.GetUtcNow());
                    }

                    break;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Not durable (NpgsqlException, or anything else the sink threw): keep the line and
                    // retry; meanwhile new lines wait in the bounded queue.
                    status.Error($"storage unavailable, retrying: {e.Message}", clock.GetUtcNow());
                    LogStorageRetry(_options.Device, e.Message, backoff);
                    await Task.Delay(backoff, stoppingToken); // real time: infrastructure backoff, whatever the fleet clock
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxStorageBackoff.Ticks));
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Serial {Device} open at {Baud} baud")]
    private partial void LogOpened(string device, int baud);

    [LoggerMessage(LogLevel.Warning, "Serial {Device} cannot be opened ({Reason}); attempt {Attempt}, next in {Backoff}")]
    private partial void LogOpenFailed(string device, string reason, TimeSpan backoff, int attempt);

    [LoggerMessage(LogLevel.Warning, "Serial {Device} lost ({Reason}); reopening")]
    private partial void LogLost(string device, string reason);

    [LoggerMessage(LogLevel.Debug, "Serial {Device} dropped a line ({Kind}): {Error}")]
    private partial void LogDropped(string device, LineKind kind, string? error);

    [LoggerMessage(LogLevel.Warning, "Serial {Device}: storage failed ({Reason}); retrying the line in {Backoff}")]
    private partial void LogStorageRetry(string device, string reason, TimeSpan backoff);
}
