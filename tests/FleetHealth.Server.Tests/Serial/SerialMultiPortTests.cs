using System.Net.Http.Json;
using FleetHealth.Serial;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FleetHealth.Server.Tests.Serial;

/// <summary>Several ports at once, each with its own single-sensor default and its own counters.</summary>
public sealed class SerialMultiPortTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private readonly SocatPty _first = new();
    private readonly SocatPty _second = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _first.StartAsync();
        await _second.StartAsync();
        _factory = new ServerFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:ConnectionString", db.ConnectionString);
            b.UseSetting("Serial:Ports:0:Device", _first.Reader);
            b.UseSetting("Serial:Ports:0:DefaultSensorId", "line-one");
            b.UseSetting("Serial:Ports:1:Device", _second.Reader);
            b.UseSetting("Serial:Ports:1:Baud", "9600");
            b.UseSetting("Serial:Ports:1:DefaultSensorId", "line-two");
        });
        _client = await _factory.CreateClientAsAsync(OperatorRoles.Viewer);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task Two_ports_are_read_at_once_each_as_its_own_default_sensor()
    {
        var ports = await PortsAsync(p => p.All(x => x.Connected), "both ports open");
        Assert.Equal([115200, 9600], ports.Select(p => p.Baud));

        using (var one = SerialPortConnection.Open(_first.Writer, 115200))
        using (var two = SerialPortConnection.Open(_second.Writer, 9600))
        {
            one.Write("HB seq=1\nHB seq=2\n"u8);
            two.Write("HB seq=1\ngarbage\n"u8);
            ports = await PortsAsync(p => p[0].LinesOk == 2 && p[1].LinesOk == 1 && p[1].Dropped.Malformed == 1, "each port counts its own lines");
        }

        Assert.Equal(0, ports[0].Dropped.Malformed);
        Assert.Equal(2, (await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/line-one"))!.HeartbeatCount);
        Assert.Equal(1, (await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/line-two"))!.HeartbeatCount);
    }

    private Task<IReadOnlyList<SerialPortView>> PortsAsync(Func<IReadOnlyList<SerialPortView>, bool> done, string because) =>
        Eventually.Until(
            async () => (await _client.GetFromJsonAsync<SerialPortList>("/api/v1/serial/ports"))!.Items,
            done,
            Within,
            because);
}
