using System.IO.Ports;

namespace FleetHealth.Serial;

/// <summary>
/// A serial device (a UART, a USB serial adapter or a pseudo-terminal) opened through
/// <see cref="SerialPort"/>: 8N1, no handshake, at a standard baud, raw (no byte is translated or
/// swallowed: NUL, XON/XOFF, CR, ^C, ^D and DEL come through as sent).
/// <list type="bullet">
/// <item><see cref="Read"/> returns at least one byte, or 0 when nothing came within the timeout;
/// it never returns 0 for end of stream.</item>
/// <item>The device going away (unplugged, or the other end of a pseudo-terminal closed) throws
/// <see cref="IOException"/> from the read or write in progress, or from the next one. After any
/// failure every later call throws it too, at once: System.IO.Ports stops serving the port then
/// (a later read would only time out), so dispose this and <see cref="Open"/> the path again.</item>
/// <item><see cref="Write"/> writes everything or throws <see cref="IOException"/>, also when no
/// byte could be sent for a second (nobody reading).</item>
/// <item>Thread-safety: one <see cref="Read"/> and one <see cref="Write"/> may run at once on
/// different threads. <see cref="Dispose"/> only once neither is in progress; it never blocks
/// and may be called twice.</item>
/// </list>
/// On Linux, System.IO.Ports serves each open port with a thread that polls the device every
/// millisecond while a read is pending, so a port being read costs about 5 % of a core.
/// </summary>
public sealed class SerialPortConnection : ISerialPort
{
    private const int WriteTimeoutMs = 1000;

    private readonly string _device;
    private readonly SerialPort _port;
    private readonly Stream _stream;
    private volatile string? _failure;
    private int _disposed;

    private SerialPortConnection(string device, SerialPort port)
    {
        _device = device;
        _port = port;
        _stream = port.BaseStream;
    }

    /// <summary>
    /// Opens <paramref name="device"/> at <paramref name="baud"/>; throws <see cref="IOException"/>
    /// naming the device and the reason (no such file, permission denied, not a terminal) if it cannot.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baud"/> is not one of <see cref="SerialBaud.Standard"/>.</exception>
    public static SerialPortConnection Open(string device, int baud)
    {
        if (!SerialBaud.IsStandard(baud))
        {
            throw new ArgumentOutOfRangeException(nameof(baud), baud, SerialBaud.NotStandard(baud));
        }

        var port = new SerialPort(device, baud, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            WriteTimeout = WriteTimeoutMs,
        };
        try
        {
            port.Open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            port.Dispose();
            // System.IO.Ports reports every failed open as "access denied"; the OS's reason is inside.
            throw new IOException($"cannot open {device}: {(e.InnerException ?? e).Message}", e);
        }

        RaiseModemLines(port);
        return new SerialPortConnection(device, port);
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, TimeSpan timeout)
    {
        ThrowIfUnusable();
        var ms = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        if (_stream.ReadTimeout != ms)
        {
            _stream.ReadTimeout = ms;
        }

        try
        {
            return _stream.Read(buffer, 0, buffer.Length);
        }
        catch (TimeoutException)
        {
            return 0;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw Failed(e);
        }
    }

    /// <inheritdoc />
    /// <exception cref="IOException">The device went away, or took no byte for a second (nobody reading).</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        ThrowIfUnusable();
        try
        {
            _stream.Write(data);
        }
        catch (TimeoutException e)
        {
            throw Failed(e, "write timed out (nobody reading?)");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw Failed(e);
        }
    }

    /// <summary>Closes the device; safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The stream first: it closes the device and ends any request still queued. SerialPort's
        // own Close flushes first, and that flush spins forever on a write queued after the device
        // went away; with the stream closed the port is no longer open and skips it.
        _stream.Dispose();
        _port.Dispose();
    }

    /// <summary>
    /// Raises DTR and RTS, as opening a tty did for the driver before this one (Linux raises them
    /// on open; System.IO.Ports lowers them): some USB serial devices send only while DTR is up.
    /// A pseudo-terminal has no modem lines and refuses, which is fine.
    /// </summary>
    private static void RaiseModemLines(SerialPort port)
    {
        try
        {
            port.DtrEnable = true;
            port.RtsEnable = true;
        }
        catch (IOException)
        {
            // No modem control lines on this device (ENOTTY on a pseudo-terminal).
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_failure is { } failure)
        {
            throw new IOException($"{_device}: {failure}; open it again.");
        }
    }

    private IOException Failed(Exception e, string? reason = null)
    {
        // ObjectDisposedException ("The port is closed") is how a request ends when the device goes away.
        _failure = reason ?? (e is ObjectDisposedException ? "device gone (unplugged, or its other end closed)" : e.Message);
        return new IOException($"{_device}: {_failure}", e);
    }
}
