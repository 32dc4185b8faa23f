using System.Net.Http.Json;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Fleet;
using FleetHealth.Serial;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Serial;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Serial;

/// <summary>Lines read while storage fails are held and retried, within a bounded queue whose overflow is counted.</summary>
public sealed class SerialStorageOutageTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    private readonly SocatPty _pty = new();
    private readonly SwitchableSink _sink = new();
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;
    private SerialPortConnection _writer = null!;

    public async Task InitializeAsync()
    {
        await _pty.StartAsync();
        _writer = SerialPortConnection.Open(_pty.Writer, 115200);
        _factory = new ServerFactory().WithWebHostBuilder(b =>
        {
            b.UseSetting("Database:ConnectionString", db.ConnectionString);
            b.UseSetting("Serial:Ports:0:Device", _pty.Reader);
            b.UseSetting("Serial:QueueCapacity", "2");
            b.ConfigureTestServices(s =>
            {
                // Decorate whatever sink the server registers, so that the test can switch storage off.
                var real = s.Last(d => d.ServiceType == typeof(IHeartbeatSink));
                s.Remove(real);
                s.AddSingleton<IHeartbeatSink>(sp =>
                {
                    _sink.Inner = real.ImplementationInstance as IHeartbeatSink
                        ?? real.ImplementationFactory?.Invoke(sp) as IHeartbeatSink
                        ?? (IHeartbeatSink)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!);
                    return _sink;
                });
            });
        });
        _client = await _factory.CreateClientAsAsync(OperatorRoles.Viewer);
        await PortAsync(p => p.Connected, "the reader opens the pty");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        _writer.Dispose();
        _pty.Dispose();
    }

    [Fact]
    public async Task Lines_read_while_storage_is_down_are_stored_once_it_returns_and_overflow_is_counted()
    {
        _sink.Down = true;
        _writer.Write("HB out-1 seq=1\n"u8);
        await PortAsync(p => p.LastError?.Contains("storage unavailable", StringComparison.Ordinal) == true, "the sink failure is reported");
        _writer.Write("HB out-1 seq=2\nHB out-1 seq=3\nHB out-1 seq=4\nHB out-1 seq=5\n"u8);
        var during = await PortAsync(p => p.Queued + p.Dropped.Overflow == 5, "every line is either held or counted as overflow");
        Assert.Equal(0, during.LinesOk);
        Assert.Equal(2, during.Dropped.Overflow);

        _sink.Down = false;
        var after = await PortAsync(p => p.LinesOk == 3 && p.Queued == 0, "the held lines are stored");
        Assert.Equal(2, after.Dropped.Overflow);
        var sensor = await _client.GetFromJsonAsync<SensorView>("/api/v1/sensors/out-1");
        Assert.Equal(3, sensor!.HeartbeatCount);
    }

    [Fact]
    public async Task A_heartbeat_the_sink_calls_unknown_is_counted_as_unknown_sensor_not_ok()
    {
        _sink.Unknown = true;
        _writer.Write("HB nobody-1 seq=1\n"u8);
        var port = await PortAsync(p => p.Dropped.UnknownSensor == 1, "the unknown sensor is counted");
        Assert.Equal(0, port.LinesOk);

        _sink.Unknown = false;
        _writer.Write("HB nobody-1 seq=2\n"u8);
        await PortAsync(p => p.LinesOk == 1, "a known sensor's line is ok again");
    }

    private Task<SerialPortView> PortAsync(Func<SerialPortView, bool> done, string because) =>
        Eventually.Until(
            async () => (await _client.GetFromJsonAsync<SerialPortList>("/api/v1/serial/ports"))!.Items.Single(),
            done,
            Within,
            because);

    private sealed class SwitchableSink : IHeartbeatSink
    {
        private volatile bool _down;
        private volatile bool _unknown;

        public IHeartbeatSink Inner { get; set; } = null!;

        public bool Down
        {
            get => _down;
            set => _down = value;
        }

        public bool Unknown
        {
            get => _unknown;
            set => _unknown = value;
        }

        public ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken) =>
            _down ? throw new NpgsqlException("storage is down (test)")
            : _unknown ? ValueTask.FromResult(IngestOutcome.UnknownSensor)
            : Inner.SubmitAsync(heartbeat, requiredTag, cancellationToken);
    }
}
