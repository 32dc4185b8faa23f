using System.Runtime.InteropServices;

namespace FleetHealth.Serial;

/// <summary>
/// A serial port on Linux through termios (libc by P/Invoke): opened non-blocking without
/// becoming the controlling terminal, switched to raw mode (<c>cfmakeraw</c>) at the configured
/// baud, read with a timeout through <c>poll(2)</c>, written waiting for room through <c>poll(2)</c>.
/// Works the same on a UART, a USB serial adapter and a pseudo-terminal. Not thread-safe: one
/// reader or writer at a time.
/// </summary>
public sealed class TermiosSerialPort : ISerialPort
{
    private const int ORdWr = 0x2;
    private const int ONoCtty = 0x100;
    private const int ONonBlock = 0x800;
    private const int OCloExec = 0x80000;
    private const int TcSaNow = 0;
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;
    private const short PollErr = 0x8;
    private const short PollHup = 0x10;
    private const short PollNval = 0x20;
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const uint CRead = 0x80;
    private const uint CLocal = 0x800;

    /// <summary>Offset of <c>c_cflag</c> in glibc's <c>struct termios</c> (x86-64 and arm64).</summary>
    private const int CFlagOffset = 8;

    /// <summary>The standard rates and their termios speed_t codes (Linux, from termios-baud.h).</summary>
    public static IReadOnlyDictionary<int, uint> Speeds { get; } = new Dictionary<int, uint>
    {
        [1200] = 9,
        [2400] = 11,
        [4800] = 12,
        [9600] = 13,
        [19200] = 14,
        [38400] = 15,
        [57600] = 0x1001,
        [115200] = 0x1002,
        [230400] = 0x1003,
        [460800] = 0x1004,
        [921600] = 0x1007,
    };

    private readonly string _device;
    private int _fd;

    private TermiosSerialPort(string device, int fd)
    {
        _device = device;
        _fd = fd;
    }

    /// <summary>Opens <paramref name="device"/> in raw mode at <paramref name="baud"/>; throws <see cref="IOException"/> if it cannot.</summary>
    public static TermiosSerialPort Open(string device, int baud)
    {
        if (!Speeds.TryGetValue(baud, out var speed))
        {
            throw new ArgumentOutOfRangeException(nameof(baud), baud, $"Not a standard rate ({string.Join(", ", Speeds.Keys)}).");
        }

        var fd = NativeOpen(device, ORdWr | ONoCtty | ONonBlock | OCloExec);
        if (fd < 0)
        {
            throw Error($"cannot open {device}");
        }

        try
        {
            // Larger than any libc's struct termios; cfmakeraw and friends fill in what they know.
            var termios = new byte[256];
            Check(TcGetAttr(fd, termios), device, "tcgetattr");
            CfMakeRaw(termios);
            var cflag = BitConverter.ToUInt32(termios, CFlagOffset) | CRead | CLocal;
            BitConverter.TryWriteBytes(termios.AsSpan(CFlagOffset), cflag);
            Check(CfSetISpeed(termios, speed), device, "cfsetispeed");
            Check(CfSetOSpeed(termios, speed), device, "cfsetospeed");
            Check(TcSetAttr(fd, TcSaNow, termios), device, "tcsetattr");
            return new TermiosSerialPort(device, fd);
        }
        catch
        {
            _ = NativeClose(fd);
            throw;
        }
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, TimeSpan timeout)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var poll = new PollFd { Fd = _fd, Events = PollIn };
        var ready = NativePoll(ref poll, 1, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
        if (ready < 0)
        {
            return Marshal.GetLastPInvokeError() == EIntr ? 0 : throw Error($"poll on {_device} failed");
        }

        if (ready == 0)
        {
            return 0;
        }

        if ((poll.REvents & (PollErr | PollNval)) != 0)
        {
            throw new IOException($"{_device}: device error (poll revents 0x{poll.REvents:x}).");
        }

        if ((poll.REvents & PollIn) != 0)
        {
            var n = NativeRead(_fd, buffer, buffer.Length);
            if (n > 0)
            {
                return (int)n;
            }

            if (n == 0)
            {
                throw new IOException($"{_device}: end of file (device closed).");
            }

            var errno = Marshal.GetLastPInvokeError();
            return errno is EAgain or EIntr ? 0 : throw Error($"read from {_device} failed", errno);
        }

        throw new IOException($"{_device}: hung up.");
    }

    /// <inheritdoc />
    /// <exception cref="IOException">The device failed, hung up, or took no byte for a second (nobody reading).</exception>
    public void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        var buffer = data.ToArray();
        var offset = 0;
        while (offset < buffer.Length)
        {
            var chunk = offset == 0 ? buffer : buffer[offset..];
            var n = NativeWrite(_fd, chunk, chunk.Length);
            if (n > 0)
            {
                offset += (int)n;
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (n < 0 && errno is not (EAgain or EIntr))
            {
                throw Error($"write to {_device} failed", errno);
            }

            var poll = new PollFd { Fd = _fd, Events = PollOut };
            if (NativePoll(ref poll, 1, 1000) == 0)
            {
                throw new IOException($"{_device}: write timed out (nobody reading?).");
            }

            if ((poll.REvents & (PollErr | PollHup | PollNval)) != 0)
            {
                throw new IOException($"{_device}: hung up while writing.");
            }
        }
    }

    /// <summary>Closes the device; safe to call twice.</summary>
    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = NativeClose(fd);
        }
    }

    private static void Check(int result, string device, string call)
    {
        if (result != 0)
        {
            throw Error($"{call} on {device} failed");
        }
    }

    private static IOException Error(string what, int? errno = null)
    {
        var code = errno ?? Marshal.GetLastPInvokeError();
        return new IOException($"{what}: {Marshal.GetPInvokeErrorMessage(code)} (errno {code}).");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int NativeOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int NativeClose(int fd);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint NativeRead(int fd, [Out] byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint NativeWrite(int fd, byte[] buffer, nint count);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int NativePoll(ref PollFd fds, nuint count, int timeoutMs);

    [DllImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static extern int TcGetAttr(int fd, [Out] byte[] termios);

    [DllImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static extern int TcSetAttr(int fd, int optionalActions, byte[] termios);

    [DllImport("libc", EntryPoint = "cfmakeraw")]
    private static extern void CfMakeRaw([In, Out] byte[] termios);

    [DllImport("libc", EntryPoint = "cfsetispeed", SetLastError = true)]
    private static extern int CfSetISpeed([In, Out] byte[] termios, uint speed);

    [DllImport("libc", EntryPoint = "cfsetospeed", SetLastError = true)]
    private static extern int CfSetOSpeed([In, Out] byte[] termios, uint speed);
}
