using FleetHealth.Serial;

namespace FleetHealth.Server.Tests.Serial;

public sealed class TermiosSerialPortTests : IDisposable
{
    private readonly SocatPty _pty = new();

    public void Dispose() => _pty.Dispose();

    [Fact]
    public void A_missing_device_fails_with_the_reason()
    {
        var e = Assert.Throws<IOException>(() => TermiosSerialPort.Open("/nonexistent/ttyUSB9", 115200));
        Assert.Contains("No such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_that_is_not_a_terminal_is_refused()
    {
        var e = Assert.Throws<IOException>(() => TermiosSerialPort.Open("/dev/null", 115200));
        Assert.Contains("tcgetattr", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_nonstandard_baud_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TermiosSerialPort.Open("/dev/null", 12345));

    [Fact]
    public async Task Bytes_written_at_one_end_are_read_at_the_other_and_a_quiet_line_times_out()
    {
        await _pty.StartAsync();
        using var reader = TermiosSerialPort.Open(_pty.Reader, 9600);
        using var writer = TermiosSerialPort.Open(_pty.Writer, 9600);
        var buffer = new byte[64];

        Assert.Equal(0, reader.Read(buffer, TimeSpan.FromMilliseconds(50)));

        writer.Write([0x00, 0x11, 0x13, 0x7F, 0xFF, (byte)'\n']);
        var received = new List<byte>();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (received.Count < 6 && DateTime.UtcNow < deadline)
        {
            var n = reader.Read(buffer, TimeSpan.FromMilliseconds(200));
            received.AddRange(buffer.Take(n));
        }

        // Raw mode: no byte is swallowed or translated (XON/XOFF, DEL, NUL, newline).
        Assert.Equal([0x00, 0x11, 0x13, 0x7F, 0xFF, (byte)'\n'], received);
    }

    [Fact]
    public async Task Reading_a_device_whose_other_side_went_away_throws()
    {
        await _pty.StartAsync();
        using var reader = TermiosSerialPort.Open(_pty.Reader, 115200);
        _pty.Stop();
        var buffer = new byte[16];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var e = Assert.Throws<IOException>(() =>
        {
            while (DateTime.UtcNow < deadline)
            {
                reader.Read(buffer, TimeSpan.FromMilliseconds(200));
            }
        });
        Assert.Contains(_pty.Reader, e.Message, StringComparison.Ordinal);
    }
}
