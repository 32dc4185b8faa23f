using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FleetHealth.Fleet;

/// <summary>
/// The sensors' journal writes as they see them, on meter <see cref="MeterName"/>: how long from
/// <c>PersistAll</c> to the journal's confirmation of its last event (the plugin's batching and the
/// database's commit), and how many events each write carried. Instruments cost nothing until a
/// listener (the server's metrics exporter) subscribes.
/// </summary>
public static class JournalWriteMetrics
{
    public const string MeterName = "FleetHealth.Journal";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "fleethealth.journal.write.duration",
        "s",
        "From a sensor's PersistAll to the journal confirming its last event",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    private static readonly Histogram<int> Events = Meter.CreateHistogram(
        "fleethealth.journal.write.events",
        "{event}",
        "Events of one sensor's atomic journal write (a heartbeat with the transitions it caused)",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 3, 4, 8, 16] });

    /// <summary>Records a write of <paramref name="events"/> events started at <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    internal static void Written(int events, long startedAt)
    {
        if (Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
        }

        if (Events.Enabled)
        {
            Events.Record(events);
        }
    }
}
