using System.Diagnostics.Metrics;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Metrics;

/// <summary>
/// The <c>FleetHealth</c> meter's instruments that code records into (the observable gauges are in
/// <see cref="FleetGauges"/>). Recording never throws to its caller: a metrics fault must not fail a
/// heartbeat or a delivery.
/// </summary>
public sealed class FleetMetrics
{
    public const string MeterName = "FleetHealth";

    // Sub-millisecond to ten seconds: a durable reply normally takes a few milliseconds (group commit);
    // the top buckets show the ask timeouts of a struggling journal.
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _ingestRequests;
    private readonly Counter<long> _heartbeats;
    private readonly Histogram<double> _ingestLatency;
    private readonly Counter<long> _deliveries;

    public FleetMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _ingestRequests = Meter.CreateCounter<long>(
            "fleethealth.ingest.requests", "{request}", "HTTP requests to /api/v1/heartbeats by result (accepted, partial, rejected, unauthorized, forbidden, unknown_sensor, rate_limited, unavailable, other)");
        _heartbeats = Meter.CreateCounter<long>(
            "fleethealth.ingest.heartbeats", "{heartbeat}", "Heartbeats submitted to their sensors (HTTP, batches, serial) by outcome (accepted, duplicate, unknown_sensor, out_of_scope, unavailable)");
        _ingestLatency = Meter.CreateHistogram(
            "fleethealth.ingest.duration",
            "s",
            "From handing a heartbeat to its sensor until the durable reply: the journal write plus the ask's round trip",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _deliveries = Meter.CreateCounter<long>(
            "fleethealth.notifications.deliveries", "{delivery}", "Notification delivery rounds by outcome (delivered, retrying, failed)");
    }

    /// <summary>The meter, for the gauges that observe other services.</summary>
    public Meter Meter { get; }

    public void IngestRequest(string result) => Safely(() => _ingestRequests.Add(1, new KeyValuePair<string, object?>("result", result)));

    public void Heartbeat(IngestOutcome outcome, TimeSpan took) => Heartbeat(outcome switch
    {
        IngestOutcome.Accepted => "accepted",
        IngestOutcome.Duplicate => "duplicate",
        IngestOutcome.UnknownSensor => "unknown_sensor",
        IngestOutcome.OutOfScope => "out_of_scope",
        _ => "other",
    }, took);

    public void HeartbeatUnavailable(TimeSpan took) => Heartbeat("unavailable", took);

    public void Delivery(string outcome) => Safely(() => _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome)));

    private void Heartbeat(string outcome, TimeSpan took) => Safely(() =>
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _heartbeats.Add(1, tag);
        _ingestLatency.Record(took.TotalSeconds, tag);
    });

    private static void Safely(Action record)
    {
        try
        {
            record();
        }
#pragma warning disable CA1031 // a listener's fault stays in metrics: the heartbeat it measures is already durable
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
