using System.Diagnostics.Metrics;

namespace FleetHealth.Actors;

/// <summary>The runtime's instruments, on the meter <c>FleetHealth.Actors</c> (for OpenTelemetry or dotnet-counters).</summary>
internal static class ActorMetrics
{
    public static readonly Meter Meter = new("FleetHealth.Actors");
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("fleethealth.actors.failures", description: "Exceptions thrown by actors.");
    public static readonly Counter<long> Restarts = Meter.CreateCounter<long>("fleethealth.actors.restarts", description: "Actor restarts by supervision.");
    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>("fleethealth.actors.dead_letters", description: "Messages that reached no actor.");
    public static readonly Counter<long> Passivations = Meter.CreateCounter<long>("fleethealth.actors.passivations", description: "Idle actors stopped.");
    public static readonly Histogram<int> JournalBatchEvents = Meter.CreateHistogram<int>("fleethealth.journal.batch_events", description: "Events per journal write batch.");
}
