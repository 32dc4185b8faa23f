using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using Microsoft.Extensions.Options;

namespace FleetHealth.Bench;

/// <summary>
/// <c>deadlines</c>: how late a sensor turns late, measured on real time with the server's own
/// sensor actors and timing wheel (journal in memory, so storage is not what is timed). Every sensor
/// beats once, as fast as the fleet can be fed, and must turn late interval + grace after its beat;
/// the lateness of a transition is the time it became durable minus the instant its rule became
/// true. The baseline is the same run with a small fleet: the claim is "whatever the fleet size".
/// </summary>
internal static class DeadlineBenchmark
{
    private const int BaselineSensors = 1_000;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string[] args)
    {
        var i = Array.IndexOf(args, "--sensors");
        var sensors = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1_000_000;
        var baseline = await MeasureAsync(BaselineSensors);
        var fleet = await MeasureAsync(sensors);
        Print("deadline_sensors", sensors, "0");
        Print("deadline_lateness_p50_ms", fleet.P50, "0.0");
        Print("deadline_lateness_p99_ms", fleet.P99, "0.0");
        Print("deadline_lateness_max_ms", fleet.Max, "0.0");
        Print("deadline_baseline_sensors", BaselineSensors, "0");
        Print("deadline_baseline_p99_ms", baseline.P99, "0.0");
        Print("deadline_p99_vs_baseline", fleet.P99 / Math.Max(baseline.P99, 0.1), "0.00");
    }

    private static async Task<(double P50, double P99, double Max)> MeasureAsync(int sensors)
    {
        var serializer = SensorEventSerialization.Register(new EventSerializer());
        var journal = new LateTransitionWatch(serializer);
        var options = Options.Create(new LivenessOptions { DefaultIntervalSeconds = Interval.TotalSeconds, DefaultGraceSeconds = Grace.TotalSeconds });
        await using var system = new ActorSystem("bench-deadlines", new ActorSystemSettings { Journal = journal, Serializer = serializer });
        var fleet = new SensorFleet(system, options);
        var feeding = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, sensors).Chunk(2_000))
        {
            await Task.WhenAll(chunk.Select(n =>
            {
                var id = Id($"deadline-{n}");
                return fleet.Sensor(id).Ask<IngestOutcome>(new SubmitHeartbeat(new Heartbeat(id, DateTimeOffset.UtcNow), null), TimeSpan.FromSeconds(120));
            }));
        }

        Console.Error.WriteLine($"deadlines: {sensors} sensors fed in {feeding.Elapsed.TotalSeconds:0.0} s; waiting for them to turn late");
        var deadline = DateTime.UtcNow + feeding.Elapsed + Interval + Grace + TimeSpan.FromSeconds(60);
        while (journal.Count < sensors && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        if (journal.Count < sensors)
        {
            throw new InvalidOperationException($"Only {journal.Count} of {sensors} sensors turned late.");
        }

        var lateness = journal.LatenessMs();
        Console.Error.WriteLine($"deadlines: {sensors} transitions to late observed");
        return (Percentile(lateness, 0.50), Percentile(lateness, 0.99), lateness[^1]);
    }

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static void Print(string name, double value, string format) =>
        Console.WriteLine($"{name}: {value.ToString(format, CultureInfo.InvariantCulture)}");

    /// <summary>An in-memory journal that notes, for every transition to late, when it became durable.</summary>
    private sealed class LateTransitionWatch(EventSerializer serializer) : IJournal
    {
        private readonly InMemoryJournal _inner = new();
        private readonly ConcurrentQueue<double> _lateness = new();

        public int Count => _lateness.Count;

        public double[] LatenessMs()
        {
            var sorted = _lateness.ToArray();
            Array.Sort(sorted);
            return sorted;
        }

        public async Task WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
        {
            await _inner.WriteAsync(write, cancellationToken);
            var durable = DateTimeOffset.UtcNow;
            foreach (var repr in write.Events)
            {
                if (serializer.Deserialize(repr.Manifest, repr.Payload) is StatusChanged { To: LivenessStatus.Late } late)
                {
                    _lateness.Enqueue((durable - late.At).TotalMilliseconds);
                }
            }
        }

        public Task ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default) =>
            _inner.ReplayAsync(persistenceId, fromSequenceNr, toSequenceNr, onEvent, cancellationToken);

        public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) =>
            _inner.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);

        public Task<IReadOnlyDictionary<string, ReplayedStream>> ReplayManyAsync(IReadOnlyCollection<ReplayRequest> requests, CancellationToken cancellationToken = default) =>
            _inner.ReplayManyAsync(requests, cancellationToken);

        public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
            _inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);
    }
}
