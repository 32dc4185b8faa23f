using System.Diagnostics;
using FleetHealth.Serial;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Serial;

/// <summary>The System.IO.Ports adapter on real pseudo-terminals: its read, unplug and reopen guarantees.</summary>
public sealed class SerialPortConnectionTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly SocatPty _pty = new();

    public void Dispose() => _pty.Dispose();

    [Fact]
    public void A_missing_device_fails_with_the_reason()
    {
        var e = Assert.Throws<IOException>(() => SerialPortConnection.Open("/nonexistent/ttyUSB9", 115200));
        Assert.Contains("/nonexistent/ttyUSB9", e.Message, StringComparison.Ordinal);
        Assert.Contains("No such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_that_is_not_a_terminal_is_refused()
    {
        var e = Assert.Throws<IOException>(() => SerialPortConnection.Open("/dev/null", 115200));
        Assert.Contains("Inappropriate ioctl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nonstandard_baud_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SerialPortConnection.Open("/dev/null", 12345));

    [Fact]
    public async Task Bytes_written_at_one_end_are_read_at_the_other_and_a_quiet_line_times_out()
    {
        await _pty.StartAsync();
        using var reader = SerialPortConnection.Open(_pty.Reader, 9600);
        using var writer = SerialPortConnection.Open(_pty.Writer, 9600);
        var buffer = new byte[64];

        Assert.Equal(0, reader.Read(buffer, TimeSpan.FromMilliseconds(50)));

        // Raw mode: no byte is swallowed or translated (NUL, ^C, ^D, CR, XON/XOFF, ^Z, DEL, newline).
        byte[] sent = [0x00, 0x03, 0x04, (byte)'\r', 0x11, 0x13, 0x1A, 0x7F, 0xFF, (byte)'\n'];
        writer.Write(sent);
        Assert.Equal(sent, ReadAtLeast(reader, sent.Length));
    }

    [Fact]
    public async Task Reading_a_device_whose_other_side_went_away_throws_and_keeps_throwing_at_once()
    {
        await _pty.StartAsync();
        using var reader = SerialPortConnection.Open(_pty.Reader, 115200);
        _pty.Stop();

        var e = ReadUntilItThrows(reader);
        Assert.Contains(_pty.Reader, e.Message, StringComparison.Ordinal);

        // The port is dead now: the next read says so at once rather than timing out for ever.
        var clock = Stopwatch.StartNew();
        Assert.Throws<IOException>(() => reader.Read(new byte[16], TimeSpan.FromSeconds(10)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the second read took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_device_reopened_by_path_after_its_other_side_came_back_reads_again()
    {
        await _pty.StartAsync();
        using (var lost = SerialPortConnection.Open(_pty.Reader, 115200))
        {
            _pty.Stop();
            ReadUntilItThrows(lost);
        }

        Assert.Throws<IOException>(() => SerialPortConnection.Open(_pty.Reader, 115200));
        await _pty.StartAsync();
        using var reader = SerialPortConnection.Open(_pty.Reader, 115200);
        using var writer = SerialPortConnection.Open(_pty.Writer, 115200);
        writer.Write("HB back seq=1\n"u8);
        Assert.Equal("HB back seq=1\n"u8.ToArray(), ReadAtLeast(reader, 14));
    }

    [Fact]
    public async Task Writing_to_a_device_whose_other_side_went_away_throws_and_dispose_returns()
    {
        await _pty.StartAsync();
        using var writer = SerialPortConnection.Open(_pty.Writer, 115200);
        writer.Write("HB w seq=1\n"u8);
        _pty.Stop();

        var e = await Eventually.Until(
            () => Task.FromResult(Record.Exception(() => writer.Write("HB w seq=2\n"u8))),
            thrown => thrown is not null,
            Within,
            "a write to the vanished device fails");
        Assert.IsType<IOException>(e);
        Assert.Throws<IOException>(() => writer.Write("HB w seq=3\n"u8));

        // SerialPort.Close() would flush first; disposing must not wait for bytes nobody can take.
        await Task.Run(writer.Dispose).WaitAsync(Within);
        Assert.Throws<ObjectDisposedException>(() => writer.Write("x"u8));
    }

    private static IOException ReadUntilItThrows(SerialPortConnection port)
    {
        var buffer = new byte[16];
        var deadline = DateTime.UtcNow + Within;
        return Assert.Throws<IOException>(() =>
        {
            while (DateTime.UtcNow < deadline)
            {
                port.Read(buffer, TimeSpan.FromMilliseconds(200));
            }
        });
    }

    private static byte[] ReadAtLeast(SerialPortConnection port, int count)
    {
        var buffer = new byte[64];
        var received = new List<byte>();
        var deadline = DateTime.UtcNow + Within;
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            var n = port.Read(buffer, TimeSpan.FromMilliseconds(200));
            received.AddRange(buffer.Take(n));
        }

        return [.. received];
    }
}
