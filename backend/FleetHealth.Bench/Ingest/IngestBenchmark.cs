using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using FleetHealth.Bench.Infrastructure;

namespace FleetHealth.Bench.Ingest;

/// <summary>
/// <c>ingest</c>: the server on a private PostgreSQL, driven over loopback HTTP. Prints single-beat
/// and batch heartbeats/s, p50/p99 acknowledgement latency at half the single-beat peak, and a bare
/// ASP.NET Core endpoint's requests/s measured in the same run as the baseline. The server's load
/// carries an ingest key (made with the server's create-ingest-key command), so key validation and
/// the per-key rate limiter (set far above the load) are part of what is measured; the bare
/// endpoint has no authentication at all.
/// </summary>
internal static class IngestBenchmark
{
    private const int Sensors = 10_000;
    private const int BatchSize = 500;

    // Where each phase starts numbering its requests: a sensor's sequence numbers only grow from
    // phase to phase (request n carries sequence n / sensors), so no phase replays duplicates.
    private const long WarmupFirst = 0;
    private const long SingleFirst = 1_000_000_000;
    private const long OpenLoopFirst = 2_000_000_000;
    private const long WakeFirst = 1_000_000;
    private const long BatchFirst = 3_000_000_000;
    private const long SustainedFirst = 4_000_000_000;
    private const int SustainedRate = 20_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 10);
        // A 202 waits for a group commit (an fsync), so each connection has at most one heartbeat per
        // commit in flight: a closed loop over few connections measures the disk's latency, not the
        // server's throughput. A fleet is thousands of sensors beating at once; 256 connections (the
        // bare endpoint gets the same) keep commits full without measuring connection handling.
        var connections = Option(args, "--connections", 256);
        // Batches come from gateways, a few of them, each with a batch in flight: 256 batches of 500
        // in flight would only measure queueing (128,000 heartbeats waiting for their turn).
        var gateways = Option(args, "--gateways", 16);
        // Long enough for tiered compilation to reach its optimized code (about half a minute of load).
        var warmup = TimeSpan.FromSeconds(Option(args, "--warmup", 30));
        // Issue 5's rate by default; another one shows how much headroom the projection has.
        var sustainedRate = Option(args, "--sustained", SustainedRate);
        var duration = TimeSpan.FromSeconds(seconds);
        Console.Error.WriteLine($"ingest: {seconds} s per phase after {warmup.TotalSeconds:0} s of warm-up, {connections} connections, {Sensors} sensors, batches of {BatchSize} from {gateways} gateways");

        var benchDll = typeof(IngestBenchmark).Assembly.Location;
        var barePort = BenchDatabase.FreePort();
        double bare;
        await using (var bareServer = await ChildServer.StartAsync(benchDll, [BareServer.Mode, barePort.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(), barePort, "/healthz"))
        {
            await WrkLoad.RunAsync(bareServer.BaseAddress, WrkLoad.Shape.Single, WarmupFirst, connections, warmup, Sensors, BatchSize, key: null);
            bare = Report("bare", await WrkLoad.RunAsync(bareServer.BaseAddress, WrkLoad.Shape.Single, SingleFirst, connections, duration, Sensors, BatchSize, key: null)).PerSecond;
        }

        await using var database = await BenchDatabase.CreateAsync();
        var port = BenchDatabase.FreePort();
        var serverBin = Repo.Path("backend", "FleetHealth.Server", "bin", "Release", "net10.0");
        var env = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            // One key carries the whole load: its bucket must not be what limits the figures.
            ["Ingest__RateLimit__PermitsPerSecond"] = "10000000",
            ["Ingest__RateLimit__Burst"] = "10000000",
        };
        var serverDll = Path.Combine(serverBin, "FleetHealth.Server.dll");
        await using var server = await ChildServer.StartAsync(serverDll, ["--contentRoot", serverBin, "--urls", $"http://127.0.0.1:{port}"], env, port, "/readyz");
        var key = await ChildServer.RunCommandAsync(serverDll, ["create-ingest-key", "bench"], env, "ingest-key");
        var adminPassword = await ChildServer.RunCommandAsync(serverDll, ["create-admin", "bench"], env, "admin-password");
        using var fleet = new LoadGenerator(server.BaseAddress, connections, key);
        await WaitForKeyAsync(server.BaseAddress, key);
        Console.Error.WriteLine("  ingest key made and accepted (the bare endpoint ran without one: it has no authentication)");

        // Wake every sensor first (recovery from the journal on first contact), so that the
        // measured phases see a warm fleet, as a running node does.
        // Sensors still recovering when their ack timeout passes are answered 503 inside a 207, as a
        // gateway would be: send again, as it would, until one round is all 202.
        var waking = Stopwatch.StartNew();
        var rounds = 0;
        Throughput woken;
        do
        {
            var round = rounds++;
            woken = await fleet.ClosedLoopAsync(i => Batch(i + WakeFirst + (round * (Sensors / BatchSize))), Sensors / BatchSize, HttpStatusCode.Accepted);
        }
        while (woken.Failed > 0 && waking.Elapsed < TimeSpan.FromMinutes(5));
        var wakeSeconds = waking.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"  woke {Sensors} sensors in {wakeSeconds:0.0} s, {rounds} rounds (the last: {woken.Ok} batches all 202, {woken.Failed} not)");
        await WrkLoad.RunAsync(server.BaseAddress, WrkLoad.Shape.Single, WarmupFirst, connections, warmup, Sensors, BatchSize, key);
        var single = Report("single", await WrkLoad.RunAsync(server.BaseAddress, WrkLoad.Shape.Single, SingleFirst, connections, duration, Sensors, BatchSize, key)).PerSecond;
        // Each phase starts with the read model caught up, so that no phase pays for the last one's backlog.
        using var status = await StatusClientAsync(server.BaseAddress, "bench", adminPassword);
        await CaughtUpAsync(status);
        // Open loop needs a schedule wrk cannot keep: the .NET generator sends at fixed times and
        // measures from each request's scheduled start (no coordinated omission).
        var (latencies, failed) = await fleet.OpenLoopAsync(i => Single(OpenLoopFirst + i), single / 2, duration, HttpStatusCode.Accepted);
        Console.Error.WriteLine($"  open loop at {single / 2:0}/s: {latencies.Length} sent, {failed} failed");
        await CaughtUpAsync(status);
        var batch = Report("batch", await WrkLoad.RunAsync(server.BaseAddress, WrkLoad.Shape.Batch, BatchFirst, gateways, duration, Sensors, BatchSize, key)).PerSecond * BatchSize;
        await CaughtUpAsync(status);
        // The projection's lag at a sustained rate (issue 5's 20,000 heartbeats/s, or 90 % of the
        // batch peak where that is lower): gateways' batches sent open loop on a fixed schedule, the
        // age of the oldest journal event not yet in the read model sampled every 100 ms.
        var sustained = Math.Min(sustainedRate, 0.9 * batch);
        using var lagWatch = new CancellationTokenSource();
        var lagSampler = SampleProjectionLagAsync(status, lagWatch.Token);
        var (_, sustainedFailed) = await fleet.OpenLoopAsync(i => Batch(SustainedFirst + i), sustained / BatchSize, 2 * duration, HttpStatusCode.Accepted);
        await lagWatch.CancelAsync();
        var lags = await lagSampler;
        Console.Error.WriteLine($"  sustained {sustained:0} heartbeats/s for {2 * duration.TotalSeconds:0} s: {sustainedFailed} batches failed, {lags.Length} lag samples");
        await CaughtUpAsync(status);

        Print("single_hb_per_s", single, "0");
        Print("batch_hb_per_s", batch, "0");
        Print("p50_ms", LoadGenerator.Percentile(latencies, 0.50), "0.00");
        Print("p99_ms", LoadGenerator.Percentile(latencies, 0.99), "0.00");
        Print("projection_lag_ms", LoadGenerator.Percentile(lags, 0.99), "0");
        Print("projection_lag_p50_ms", LoadGenerator.Percentile(lags, 0.50), "0");
        Print("projection_lag_at_hb_per_s", sustained, "0");
        Print("wake_new_sensors_s", wakeSeconds, "0.0");
        Print("bare_req_per_s", bare, "0");
        Print("single_vs_bare", single / bare, "0.000");
        return 0;
    }

    /// <summary>The server hears of a key made by another process through a notification: wait for it (a valid key gets 400 for an empty batch, not 401).</summary>
    private static async Task WaitForKeyAsync(Uri server, string key)
    {
        using var client = new HttpClient { BaseAddress = server };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var probe = await client.PostAsync("/api/v1/heartbeats", new StringContent("[]", Encoding.UTF8, "application/json"));
            if (probe.StatusCode == HttpStatusCode.BadRequest)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The server never accepted the benchmark's ingest key.");
    }

    /// <summary>A client signed in as the benchmark's admin (the status endpoint is for operators); the handler keeps the cookie.</summary>
    internal static async Task<HttpClient> StatusClientAsync(Uri server, string user, string password)
    {
        var client = new HttpClient { BaseAddress = server };
        using var login = await client.PostAsync("/api/v1/auth/login", new StringContent(
            System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["user"] = user, ["password"] = password }), Encoding.UTF8, "application/json"));
        login.EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<System.Text.Json.JsonElement> ProjectionAsync(HttpClient status, CancellationToken cancellationToken = default)
    {
        using var document = System.Text.Json.JsonDocument.Parse(await status.GetStringAsync("/api/v1/status", cancellationToken));
        return document.RootElement.GetProperty("projection").Clone();
    }

    private static async Task CaughtUpAsync(HttpClient status)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await ProjectionAsync(status)).GetProperty("lagEvents").GetInt64() > 0)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException("The read model did not catch up with the journal within 5 minutes.");
            }

            await Task.Delay(100);
        }

        Console.Error.WriteLine($"  read model caught up ({waited.Elapsed.TotalSeconds:0.0} s)");
    }

    private static async Task<double[]> SampleProjectionLagAsync(HttpClient status, CancellationToken stop)
    {
        var samples = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                samples.Add((await ProjectionAsync(status, stop)).GetProperty("oldestUnappliedAgeMs").GetDouble());
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static HttpRequestMessage Single(long i) => new(HttpMethod.Post, $"/api/v1/heartbeats/bench-{i % Sensors}")
    {
        Content = new StringContent($$"""{"sequence":{{i / Sensors}},"battery":87.5,"signal":-61}""", Encoding.UTF8, "application/json"),
    };

    private static HttpRequestMessage Batch(long i)
    {
        var json = new StringBuilder("[");
        for (var k = 0; k < BatchSize; k++)
        {
            var n = (i * BatchSize) + k;
            json.Append(CultureInfo.InvariantCulture, $$"""{{(k == 0 ? "" : ",")}}{"sensorId":"gw-{{n % Sensors}}","sequence":{{n / Sensors}}}""");
        }

        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/heartbeats") { Content = new StringContent(json.Append(']').ToString(), Encoding.UTF8, "application/json") };
    }

    private static Throughput Report(string phase, Throughput result)
    {
        Console.Error.WriteLine($"  {phase}: {result.Ok} ok, {result.Failed} failed in {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    private static void Print(string name, double value, string format) =>
        Console.WriteLine($"{name}: {value.ToString(format, CultureInfo.InvariantCulture)}");

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
