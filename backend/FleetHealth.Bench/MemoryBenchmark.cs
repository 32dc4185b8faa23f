using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;

namespace FleetHealth.Bench;

/// <summary>
/// <c>memory</c>: GC heap bytes per idle resident actor, after full compacting collections, for the
/// Akka.NET <see cref="SensorActor"/> (created, recovered against Akka's in-memory journal, one
/// heartbeat so it is healthy with its deadline timer armed) and, in the same run, for variants that
/// leave parts out (no persistence, no timer), the plain actor being the baseline. Each figure is
/// (heap with the actors resident − heap before they were created) / count, measured with
/// <see cref="GC.GetTotalMemory(bool)"/> (live object bytes; the GC's heap size also counts free
/// space between objects, which is printed separately). The sensors are then stopped and the heap
/// measured again: what stays is the in-memory journal's copy of their events, not the actor.
/// </summary>
/// <remarks>
/// The server runs Server GC (the Web SDK's default), this project Workstation GC: unless started
/// with Server GC, the mode runs itself again as a child process with <c>DOTNET_gcServer=1</c>.
/// </remarks>
internal static class MemoryBenchmark
{
    private const string ChildVariable = "FLEETHEALTH_BENCH_MEMORY_CHILD";
    private const int Chunk = 2_000;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);

    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """).WithFallback(SensorEventSerializer.Config);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!GCSettings.IsServerGC && !args.Contains("--workstation-gc") && Environment.GetEnvironmentVariable(ChildVariable) is null)
        {
            return await RelaunchWithServerGcAsync(args);
        }

        var i = Array.IndexOf(args, "--sensors");
        var n = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1_000_000;
        Console.WriteLine($"memory_sensors: {n}");
        Console.WriteLine($"gc: {(GCSettings.IsServerGC ? "server" : "workstation")} ({GCSettings.LatencyMode}, {Environment.ProcessorCount} cores)");

        if (!args.Contains("--index-only"))
        {
            await MeasureActorsAsync(n);
        }

        // What an idle sensor costs on the server: it passivates, and only the deadline keeper's
        // index entry stays (on the one node that leads the projection).
        var (indexBytes, indexSeconds) = MeasureDeadlineIndex(n);
        Print("idle_sensor_index_bytes", indexBytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle_sensor_index_load_s: {indexSeconds:0.0}"));
        return 0;
    }

    /// <summary>Resident actors: the plain baselines, then the sensor itself.</summary>
    private static async Task MeasureActorsAsync(int n)
    {
        Print("akka_untyped_no_timer_bytes", (await MeasureAsync(n, _ => Props.Create(() => new PlainActor(false)), _ => Ready.Instance, stop: false)).Total);
        Print("akka_untyped_actor_bytes", (await MeasureAsync(n, _ => Props.Create(() => new PlainActor(true)), _ => Ready.Instance, stop: false)).Total);
        Print("akka_persistent_no_timer_bytes", (await MeasureAsync(n, k => Props.Create(() => new PlainPersistentActor("p-" + k, false)), _ => Ready.Instance, stop: false)).Total);
        Print("akka_persistent_timer_bytes", (await MeasureAsync(n, k => Props.Create(() => new PlainPersistentActor("p-" + k, true)), _ => Ready.Instance, stop: false)).Total);

        // Long enough that no sensor turns late while the fleet is being built and measured.
        var rules = FleetPolicy.Fixed(new LivenessPolicy { DefaultInterval = TimeSpan.FromHours(1) });
        var sensor = await MeasureAsync(
            n,
            k => SensorActor.Props(SensorName(k), rules, autoRegister: true, snapshotEvery: 0, TimeProvider.System),
            k => new SubmitHeartbeat(new Heartbeat(Id(SensorName(k)), DateTimeOffset.UtcNow)),
            stop: true);
        Print("idle_sensor_bytes", sensor.Total);
        Print("idle_sensor_resident_bytes", sensor.Resident);
        Print("idle_sensor_journal_bytes", sensor.Journal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle_sensor_heap_mb: {sensor.HeapMb:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle_sensor_fragmented_mb: {sensor.FragmentedMb:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"idle_sensor_create_recover_s: {sensor.Seconds:0.0}"));
        Console.WriteLine($"idle_sensor_state: {sensor.Sample}");
    }

    /// <summary>
    /// Heap per sensor of a <see cref="DeadlineIndex"/> holding <paramref name="n"/> healthy sensors,
    /// each observed as the deadline keeper loads it from the read model: its own id string, its own
    /// settings and tag strings (one of 100 sites), as a database reader hands them out.
    /// </summary>
    private static (double Bytes, double Seconds) MeasureDeadlineIndex(int n)
    {
        var policy = new LivenessPolicy { DefaultInterval = TimeSpan.FromHours(1) };
        var index = new DeadlineIndex(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        var now = DateTimeOffset.UtcNow;
        var before = SettledHeap();
        var watch = Stopwatch.StartNew();
        for (var k = 0; k < n; k++)
        {
            var site = "site-" + (k % 100).ToString(CultureInfo.InvariantCulture);
            var settings = new SensorSettings(null, null, [site]);
            // Spread over an hour of deadlines, as a fleet's last heartbeats are.
            index.ObserveIfAbsent(SensorName(k), new SensorWatch(LivenessStatus.Healthy, now.AddMilliseconds(k % 3_600_000), settings), policy);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var after = SettledHeap();
        if (index.Count != n)
        {
            throw new InvalidOperationException($"The index holds {index.Count} of {n} sensors.");
        }

        GC.KeepAlive(index);
        return ((double)(after - before) / n, seconds);
    }

    private static string SensorName(int k) => "mem-" + k.ToString(CultureInfo.InvariantCulture);

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0}"));

    /// <summary>
    /// Creates <paramref name="n"/> actors in one Akka system, each answering <paramref name="first"/>
    /// before the next chunk starts; measures the heap; with <paramref name="stop"/> stops them all and
    /// measures what remains (the journal).
    /// </summary>
    private static async Task<Measured> MeasureAsync(int n, Func<int, Props> props, Func<int, object> first, bool stop)
    {
        var system = ActorSystem.Create("bench-memory", AkkaConfig);
        var refs = new IActorRef[n];
        _ = await system.ActorOf(Props.Create(() => new PlainActor(false))).Ask<object>(Ready.Instance, AskTimeout);
        var before = SettledHeap();
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < n; start += Chunk)
        {
            var end = Math.Min(n, start + Chunk);
            var replies = new Task<object>[end - start];
            for (var k = start; k < end; k++)
            {
                refs[k] = system.ActorOf(props(k), "a-" + k.ToString(CultureInfo.InvariantCulture));
                replies[k - start] = refs[k].Ask<object>(first(k), AskTimeout);
            }

            foreach (var reply in await Task.WhenAll(replies))
            {
                if (reply is Status.Failure failure)
                {
                    throw new InvalidOperationException("An actor failed to start.", failure.Cause);
                }
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var sample = stop ? await refs[0].Ask<object>(new GetSensorState(), AskTimeout) : null;
        var after = SettledHeap();
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var remaining = after;
        if (stop)
        {
            for (var start = 0; start < n; start += Chunk)
            {
                await Task.WhenAll(refs[start..Math.Min(n, start + Chunk)].Select(r => r.GracefulStop(AskTimeout)));
            }

            Array.Clear(refs);
            remaining = SettledHeap();
        }

        GC.KeepAlive(refs);
        await system.Terminate();
        return new Measured(
            (double)(after - remaining) / n,
            (double)(remaining - before) / n,
            info.HeapSizeBytes / 1e6,
            info.FragmentedBytes / 1e6,
            seconds,
            sample is SensorState s ? $"{s.Status}, {s.HeartbeatCount} beat" : sample?.GetType().Name ?? "-");
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task<int> RelaunchWithServerGcAsync(string[] args)
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("No process path to relaunch.");
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(MemoryBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add("memory");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment[ChildVariable] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not relaunch with Server GC.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    /// <summary>Per actor: <see cref="Resident"/> goes when it stops, <see cref="Journal"/> stays (0 unless stopped).</summary>
    private sealed record Measured(double Resident, double Journal, double HeapMb, double FragmentedMb, double Seconds, string Sample)
    {
        public double Total => Resident + Journal;
    }

    private sealed class Ready
    {
        public static Ready Instance { get; } = new();
    }

    /// <summary>Baseline: a plain actor, with or without one armed single timer (an hour away).</summary>
    private sealed class PlainActor(bool timer) : UntypedActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart()
        {
            if (timer)
            {
                Timers.StartSingleTimer(Ready.Instance, Ready.Instance, TimeSpan.FromHours(1));
            }
        }

        protected override void OnReceive(object message)
        {
            if (message is Ready)
            {
                Sender.Tell(message);
            }
        }
    }

    /// <summary>Variant: a persistent actor recovered from an empty stream, nothing persisted, with or without a timer.</summary>
    private sealed class PlainPersistentActor(string id, bool timer) : UntypedPersistentActor, IWithTimers
    {
        public override string PersistenceId { get; } = id;

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void OnRecover(object message)
        {
            if (message is RecoveryCompleted && timer)
            {
                Timers.StartSingleTimer(Ready.Instance, Ready.Instance, TimeSpan.FromHours(1));
            }
        }

        protected override void OnCommand(object message)
        {
            if (message is Ready)
            {
                Sender.Tell(message);
            }
        }
    }
}
