using System.Diagnostics.Metrics;
using FleetHealth.Server.Live;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Metrics;

/// <summary>
/// The gauges a scrape reads: the projection's lag (its own status, no query) and the fleet's
/// sensors per state, re-counted every <see cref="MetricsOptions.StateCountsSeconds"/> in the
/// background and served from that cache, so a scrape never scans the sensors table. Websocket
/// clients are the live hub's own gauge (<c>fleethealth.live.clients</c>).
/// </summary>
internal sealed partial class FleetGauges : BackgroundService
{
    private readonly LiveReads _reads;
    private readonly DatabaseReadiness _readiness;
    private readonly MetricsOptions _options;
    private readonly ILogger<FleetGauges> _logger;
    private volatile IReadOnlyDictionary<string, long>? _states;

    public FleetGauges(
        FleetMetrics metrics, ReadModelProjection projection, LiveReads reads, DatabaseReadiness readiness, IOptions<MetricsOptions> options, ILogger<FleetGauges> logger)
    {
        _reads = reads;
        _readiness = readiness;
        _options = options.Value;
        _logger = logger;
        var meter = metrics.Meter;
        meter.CreateObservableGauge("fleethealth.projection.lag_events", () => projection.Status.LagEvents, "{event}", "Journal events not yet applied to the read model (on the node that runs the projection)");
        meter.CreateObservableGauge("fleethealth.projection.lag", () => projection.Status.OldestUnappliedAgeMs / 1000.0, "s", "Age of the oldest journal event not yet applied; 0 when caught up");
        meter.CreateObservableGauge("fleethealth.projection.leader", () => projection.Status.Leader ? 1 : 0, "{node}", "1 on the node that runs the projection");
        meter.CreateObservableGauge("fleethealth.sensors", ObserveStates, "{sensor}", "Sensors of the fleet per state, as the read model counted them at most Metrics:StateCountsSeconds ago");
    }

    private IEnumerable<Measurement<long>> ObserveStates() =>
        _states is { } states
            ? states.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key)))
            : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await _readiness.Migrated.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.StateCountsSeconds));
        do
        {
            try
            {
                _states = await _reads.CountsAsync(stoppingToken);
            }
            catch (NpgsqlException e)
            {
                // The last counts stay; the database's outage is reported by readiness and the workers.
                LogCountFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Debug, "Sensors per state could not be counted for /metrics: {Message}")]
    private partial void LogCountFailed(string message);
}
