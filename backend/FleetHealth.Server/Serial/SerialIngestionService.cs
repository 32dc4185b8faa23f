using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Serial;

/// <summary>The hosted service of serial ingestion: one <see cref="SerialPortReader"/> per configured port, all at once.</summary>
internal sealed class SerialIngestionService(
    SerialPortRegistry registry,
    IOptions<SerialOptions> options,
    ISerialPortFactory ports,
    IHeartbeatSink sink,
    DatabaseReadiness readiness,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var logger = loggers.CreateLogger<SerialPortReader>();
        return Task.WhenAll(registry.Ports.Select(status =>
            new SerialPortReader(status, options.Value.QueueCapacity, ports, sink, readiness, clock, logger).RunAsync(stoppingToken)));
    }
}
