using FleetHealth.Domain.Serial;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Serial;

/// <summary>Lines a port dropped, by reason.</summary>
public sealed record SerialDrops(long Checksum, long Malformed, long Overlong, long Invalid, long UnknownSensor, long Overflow);

/// <summary>One port as <c>GET /api/v1/serial/ports</c> shows it.</summary>
public sealed record SerialPortView(
    string Device,
    int Baud,
    string? DefaultSensorId,
    bool Connected,
    long LinesOk,
    SerialDrops Dropped,
    long Reconnects,
    int Queued,
    DateTimeOffset? LastLineAt,
    string? LastError,
    DateTimeOffset? LastErrorAt);

/// <summary>Every configured port.</summary>
public sealed record SerialPortList(IReadOnlyList<SerialPortView> Items);

/// <summary>Live counters of one port, written by its reader, read by the API (lock-free).</summary>
public sealed class SerialPortStatus(SerialPortOptions options)
{
    private long _linesOk;
    private long _checksum;
    private long _malformed;
    private long _overlong;
    private long _invalid;
    private long _unknownSensor;
    private long _overflow;
    private long _reconnects;
    private int _queued;
    private int _connected;
    private LastError? _lastError;
    private long _lastLineAtTicks;

    public SerialPortOptions Options { get; } = options;

    public bool Connected => Volatile.Read(ref _connected) == 1;

    public void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void LineOk(DateTimeOffset at)
    {
        Interlocked.Increment(ref _linesOk);
        Interlocked.Exchange(ref _lastLineAtTicks, at.UtcTicks);
    }

    public void Dropped(LineKind kind)
    {
        switch (kind)
        {
            case LineKind.BadChecksum:
                Interlocked.Increment(ref _checksum);
                break;
            case LineKind.Malformed:
                Interlocked.Increment(ref _malformed);
                break;
            case LineKind.Invalid:
                Interlocked.Increment(ref _invalid);
                break;
        }
    }

    public void Overlong() => Interlocked.Increment(ref _overlong);

    public void UnknownSensor() => Interlocked.Increment(ref _unknownSensor);

    public void Overflow() => Interlocked.Increment(ref _overflow);

    public void Enqueued() => Interlocked.Increment(ref _queued);

    public void Dequeued() => Interlocked.Decrement(ref _queued);

    public void Error(string message, DateTimeOffset at) => Volatile.Write(ref _lastError, new LastError(message, at));

    public SerialPortView Snapshot()
    {
        var error = Volatile.Read(ref _lastError);
        var lastLine = Interlocked.Read(ref _lastLineAtTicks);
        return new SerialPortView(
            Options.Device,
            Options.Baud,
            Options.DefaultSensorId,
            Connected,
            Interlocked.Read(ref _linesOk),
            new SerialDrops(
                Interlocked.Read(ref _checksum),
                Interlocked.Read(ref _malformed),
                Interlocked.Read(ref _overlong),
                Interlocked.Read(ref _invalid),
                Interlocked.Read(ref _unknownSensor),
                Interlocked.Read(ref _overflow)),
            Interlocked.Read(ref _reconnects),
            Volatile.Read(ref _queued),
            lastLine == 0 ? null : new DateTimeOffset(lastLine, TimeSpan.Zero),
            error?.Message,
            error?.At);
    }

    private sealed record LastError(string Message, DateTimeOffset At);
}

/// <summary>The configured ports' live status, one entry per <c>Serial:Ports</c> item, in order.</summary>
public sealed class SerialPortRegistry(IOptions<SerialOptions> options)
{
    public IReadOnlyList<SerialPortStatus> Ports { get; } = [.. options.Value.Ports.Select(p => new SerialPortStatus(p))];
}
