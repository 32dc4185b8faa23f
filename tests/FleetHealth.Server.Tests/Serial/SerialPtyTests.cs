using System.Net.Http.Json;
using System.Text;
using FleetHealth.Serial;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Simulator;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FleetHealth.Server.Tests.Serial;

/// <summary>The serial reader end to end: socat pty, the real server in process, real PostgreSQL.</summary>
public sealed class SerialPtyTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private readonly SocatPty _pty = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;
    private SerialPortConnection? _writer;

    public async Task InitializeAsync()
    {
        await StartPtyAsync();
        _factory = new ServerFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:ConnectionString", db.ConnectionString);
            b.UseSetting("Serial:Ports:0:Device", _pty.Reader);
            b.UseSetting("Serial:Ports:0:Baud", "115200");
            b.UseSetting("Serial:Ports:0:DefaultSensorId", "uart-default");
        });
        _client = await _factory.CreateClientAsAsync(OperatorRoles.Viewer);
        await PortAsync(p => p.Connected, "the reader opens the pty");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        _writer?.Dispose();
        _pty.Dispose();
    }

    [Fact]
    public async Task Lines_written_to_the_pty_become_heartbeats_of_the_right_sensors()
    {
        Write("HB pty-a seq=1 battery=90\r\nHB pty-b seq=1\nHB pty-a seq=2*");
        Write(Checksum("HB pty-a seq=2")[("HB pty-a seq=2*".Length)..] + "\n");
        Write("{\"sensorId\":\"pty-c\",\"sequence\":9}\nHB seq=5\n");

        await HeartbeatsAsync("pty-a", 2);
        await HeartbeatsAsync("pty-b", 1);
        await HeartbeatsAsync("pty-c", 1);
        await HeartbeatsAsync("uart-default", 1);
        var port = await PortAsync(p => p.LinesOk >= 5, "five lines counted ok");
        Assert.Equal(new SerialDrops(0, 0, 0, 0, 0, 0), port.Dropped);
    }

    [Fact]
    public async Task Garbage_and_bad_checksums_are_counted_and_the_reader_keeps_going()
    {
        _writer!.Write([0x00, 0xFF, 0x13, 0x37, (byte)'\n']);
        _writer.Write("HB gar-1 seq=1*00\n"u8);
        _writer.Write(Encoding.ASCII.GetBytes(new string('x', 600) + "\n"));
        _writer.Write("HB gar-1 battery=500\nHB gar-1 seq=2\n"u8);

        await HeartbeatsAsync("gar-1", 1);
        var port = await PortAsync(p => p.Dropped.Invalid >= 1 && p.LinesOk >= 1, "the good line after the bad ones is stored");
        Assert.Equal(1, port.Dropped.Malformed);
        Assert.Equal(1, port.Dropped.Checksum);
        Assert.Equal(1, port.Dropped.Overlong);
        Assert.Equal(1, port.Dropped.Invalid);
        Assert.True(port.Connected);
    }

    [Fact]
    public async Task The_reader_survives_the_pty_being_closed_and_recreated()
    {
        Write("HB re-1 seq=1\n");
        await HeartbeatsAsync("re-1", 1);

        _writer!.Dispose();
        _pty.Stop();
        var lost = await PortAsync(p => !p.Connected, "the reader notices the device is gone");
        Assert.NotNull(lost.LastError);

        await StartPtyAsync();
        var back = await PortAsync(p => p.Connected && p.Reconnects >= 1, "the reader reopens the recreated device");
        Assert.True(back.Reconnects >= 1);

        Write("HB re-1 seq=2\n");
        await HeartbeatsAsync("re-1", 2);
    }

    [Fact]
    public async Task The_simulator_over_serial_delivers_every_beat_through_the_reader()
    {
        var options = SimulatorArgs.Parse(
            ["--serial", _pty.Writer, "--sensors", "25", "--interval", "100ms", "--duration", "1s", "--prefix", "simser-", "--seq-start", "0"],
            out var error,
            out _);
        Assert.Null(error);
        await using var simulation = new Simulation(options!, new SerialBeatTransport(_pty.Writer, options!.Baud, TextWriter.Null), TextWriter.Null);
        await simulation.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(simulation.Stats.Sent, simulation.Stats.Acked);

        for (var i = 0; i < simulation.Fleet.Ids.Count; i++)
        {
            await HeartbeatsAsync(simulation.Fleet.Ids[i], simulation.Fleet.Generated(i));
        }

        var port = await PortAsync(p => p.LinesOk >= simulation.Stats.Sent, "every simulated line is counted ok");
        Assert.Equal(new SerialDrops(0, 0, 0, 0, 0, 0), port.Dropped);
    }

    private static string Checksum(string body)
    {
        byte x = 0;
        foreach (var b in Encoding.ASCII.GetBytes(body))
        {
            x ^= b;
        }

        return $"{body}*{x:X2}";
    }

    private async Task StartPtyAsync()
    {
        await _pty.StartAsync();
        _writer = SerialPortConnection.Open(_pty.Writer, 115200);
    }

    private void Write(string text) => _writer!.Write(Encoding.ASCII.GetBytes(text));

    private Task<SerialPortView> PortAsync(Func<SerialPortView, bool> done, string because) =>
        Eventually.Until(
            async () => (await _client.GetFromJsonAsync<SerialPortList>("/api/v1/serial/ports"))!.Items.Single(),
            done,
            Within,
            because);

    private Task<long> HeartbeatsAsync(string sensorId, long count) =>
        Eventually.Until(
            async () =>
            {
                using var response = await _client.GetAsync($"/api/v1/sensors/{sensorId}");
                return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<SensorView>())!.HeartbeatCount : 0;
            },
            n => n == count,
            Within,
            $"{sensorId} has {count} heartbeat(s)");
}
