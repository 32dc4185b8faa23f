using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace FleetHealth.Simulator;

/// <summary>
/// The virtual sensors: plain arrays plus one priority queue of due times, driven by one loop
/// (no task or timer per sensor), so 100,000 sensors cost a few megabytes and one thread.
/// Every random choice comes from one seeded generator in that loop, so runs repeat.
/// </summary>
internal sealed class VirtualFleet
{
    public const string Firmware = "sim-1.0.0";

    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(100);

    private readonly SimulatorOptions _options;
    private readonly SimulatorStats _stats;
    private readonly Random _random;
    private readonly long[] _nextSequence;
    private readonly long[] _generated;
    private readonly double[] _battery;
    private readonly bool[] _dead;
    private readonly PriorityQueue<int, long> _due;

    public VirtualFleet(SimulatorOptions options, SimulatorStats stats)
    {
        _options = options;
        _stats = stats;
        _random = new Random(options.Seed);
        var n = options.Sensors;
        var width = Math.Max(5, n.ToString(CultureInfo.InvariantCulture).Length);
        var ids = new string[n];
        Ids = ids;
        _nextSequence = new long[n];
        _generated = new long[n];
        _battery = new double[n];
        _dead = new bool[n];
        _due = new PriorityQueue<int, long>(n);
        var start = options.SequenceStart ?? DefaultSequenceStart(options, DateTimeOffset.UtcNow);
        var intervalTicks = options.Interval.Ticks;
        for (var i = 0; i < n; i++)
        {
            ids[i] = options.Prefix + (i + 1).ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            _nextSequence[i] = start;
            _battery[i] = 60 + (_random.NextDouble() * 40);

            // Spread first beats evenly over one interval, so N sensors never fire at once.
            _due.Enqueue(i, (long)(_random.NextDouble() * intervalTicks));
        }
    }

    public IReadOnlyList<string> Ids { get; }

    /// <summary>
    /// The first sequence number when none is given: the number of shortest possible intervals
    /// (interval × (1 − jitter)) since the Unix epoch. No sensor can send faster than that, so a
    /// rerun with the same settings always starts above every sequence the last run used, and
    /// the server never mistakes new beats for duplicates of old ones.
    /// </summary>
    public static long DefaultSequenceStart(SimulatorOptions options, DateTimeOffset now)
    {
        var shortest = Math.Max(1, (long)(options.Interval.TotalMilliseconds * (1 - options.Jitter)));
        return now.ToUnixTimeMilliseconds() / shortest;
    }

    /// <summary>Beats generated (sent or to be sent) by sensor <paramref name="index"/>, dropouts excluded.</summary>
    public long Generated(int index) => Interlocked.Read(ref _generated[index]);

    /// <summary>Emits due beats into <paramref name="output"/> until cancelled or every sensor is dead.</summary>
    public async Task RunAsync(ChannelWriter<Beat> output, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (!stop.IsCancellationRequested && _due.Count > 0)
            {
                var now = clock.Elapsed.Ticks;
                while (_due.TryPeek(out var index, out var due) && due <= now)
                {
                    _due.Dequeue();
                    var beat = Tick(index);
                    if (!_dead[index])
                    {
                        _due.Enqueue(index, due + NextInterval());
                    }

                    if (beat is not null)
                    {
                        // Not cancellable: a beat counted as sent must reach the dispatcher, which
                        // drains the channel to the end (to the queue when stopping).
                        await output.WriteAsync(beat, CancellationToken.None);
                    }
                }

                if (_due.TryPeek(out _, out var next))
                {
                    var sleep = TimeSpan.FromTicks(Math.Clamp(next - clock.Elapsed.Ticks, TimeSpan.TicksPerMillisecond, MaxSleep.Ticks));
                    await Task.Delay(sleep, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Normal stop.
        }
        finally
        {
            output.TryComplete();
        }
    }

    private Beat? Tick(int index)
    {
        if (_options.DeathRate > 0 && _random.NextDouble() < _options.DeathRate)
        {
            _dead[index] = true;
            _stats.Died();
            return null;
        }

        // The sequence moves on even for a dropped beat: the gap is what the server counts as lost.
        var sequence = _nextSequence[index]++;
        if (_options.Dropout > 0 && _random.NextDouble() < _options.Dropout)
        {
            _stats.DroppedOut();
            return null;
        }

        var fault = _options.Fault > 0 && _random.NextDouble() < _options.Fault;
        _battery[index] = Math.Max(5, _battery[index] - 0.01);
        var signal = Math.Round(-60 - (_random.NextDouble() * 30), 1);
        Interlocked.Increment(ref _generated[index]);
        _stats.Generated(fault);
        return new Beat(Ids[index], sequence, DateTimeOffset.UtcNow, fault, Math.Round(_battery[index], 2), signal, Firmware);
    }

    private long NextInterval()
    {
        var factor = 1 + (_options.Jitter * ((_random.NextDouble() * 2) - 1));
        return Math.Max(TimeSpan.TicksPerMillisecond, (long)(_options.Interval.Ticks * factor));
    }
}
