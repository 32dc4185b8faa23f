using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FleetHealth.Bench.Infrastructure;
using FleetHealth.Bench.Ingest;

namespace FleetHealth.Bench.Notifications;

/// <summary>
/// The whole path of an alert through a real server process with <c>--resident</c> sensors
/// resident (kept so by a background load of batches, faster than idle passivation): from the
/// <c>202</c> of a sensor's first fault beat (the transition is durable) through the journal, the
/// projection and its outbox, the grouper and a delivery, to the webhook's arrival at a local
/// receiver. The server runs with its defaults, so its idle polling
/// (<c>Notifications:PollMilliseconds</c>, 500 ms, once for the grouper and once for the delivery)
/// is part of the figure.
/// </summary>
internal static class ServerNotificationBenchmark
{
    private const int BatchSize = 500;
    // Samples take the rules in turn: each rule's group interval (1 s, the least a rule allows)
    // has passed when it is used again, so no sample waits for another's group.
    private const int Rules = 10;
    private static readonly TimeSpan SampleSpacing = TimeSpan.FromMilliseconds(150);
    // Every resident sensor beats once a cycle: well inside the 120 s idle passivation.
    private static readonly TimeSpan Cycle = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(int resident, int samples)
    {
        await using var database = await BenchDatabase.CreateAsync();
        using var receiver = new HttpListener();
        var receiverPort = BenchDatabase.FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{receiverPort}/");
        receiver.Start();
        var arrivals = new Dictionary<string, long>(StringComparer.Ordinal);
        var serving = Task.Run(() => ServeAsync(receiver, arrivals));

        var port = BenchDatabase.FreePort();
        var serverBin = Repo.Path("backend", "FleetHealth.Server", "bin", "Release", "net10.0");
        var serverDll = Path.Combine(serverBin, "FleetHealth.Server.dll");
        var env = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = database.ConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Ingest__RateLimit__PermitsPerSecond"] = "10000000",
            ["Ingest__RateLimit__Burst"] = "10000000",
            ["Notifications__AllowedTargets__0"] = "127.0.0.1",
        };
        await using var server = await ChildServer.StartAsync(serverDll, ["--contentRoot", serverBin, "--urls", $"http://127.0.0.1:{port}"], env, port, "/readyz");
        var password = await ChildServer.RunCommandAsync(serverDll, ["create-admin", "bench"], env, "admin-password");
        using var admin = await IngestBenchmark.StatusClientAsync(server.BaseAddress, "bench", password);
        var channel = await CreatedIdAsync(admin, "/api/v1/notifications/channels", new { name = "bench", kind = "webhook", url = $"http://127.0.0.1:{receiverPort}/hook" });
        var tagged = new List<HttpClient>();
        for (var r = 0; r < Rules; r++)
        {
            var tag = $"lat-{r.ToString(CultureInfo.InvariantCulture)}";
            await CreatedIdAsync(admin, "/api/v1/notifications/rules", new { name = tag, transitions = new[] { "fault" }, tag, channels = new[] { channel }, groupWaitSeconds = 0, groupIntervalSeconds = 1, repeatIntervalSeconds = 14400 });
            tagged.Add(IngestClient(server.BaseAddress, await ChildServer.RunCommandAsync(serverDll, ["create-ingest-key", "bench", "--tag", tag], env, "ingest-key")));
        }

        var key = await ChildServer.RunCommandAsync(serverDll, ["create-ingest-key", "bench"], env, "ingest-key");
        using var fleet = new LoadGenerator(server.BaseAddress, 16, key);
        var waking = Stopwatch.StartNew();
        var rounds = 0;
        Throughput woken;
        do
        {
            var round = rounds++;
            woken = await fleet.ClosedLoopAsync(i => Batch(i - 1, round), resident / BatchSize, HttpStatusCode.Accepted); // indexes from 1
        }
        while (woken.Failed > 0 && waking.Elapsed < TimeSpan.FromMinutes(15));
        Console.Error.WriteLine($"  {resident} sensors resident after {waking.Elapsed.TotalSeconds:0} s ({rounds} rounds)");

        // The samples' sensors are known (healthy) before their fault beats.
        for (var i = 0; i < samples; i++)
        {
            await BeatAsync(tagged[i % Rules], SampleSensor(i), "ok");
        }

        using var stop = new CancellationTokenSource();
        var background = KeepResidentAsync(fleet, resident, stop.Token);
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var sensor = SampleSensor(i);
            await BeatAsync(tagged[i % Rules], sensor, "fault");
            var durable = Stopwatch.GetTimestamp();
            var arrived = await ArrivalAsync(arrivals, sensor);
            latencies.Add(Stopwatch.GetElapsedTime(durable, arrived).TotalMilliseconds);
            await Task.Delay(SampleSpacing);
        }

        stop.Cancel();
        var kept = await background;
        var residentAtEnd = await ResidentAsync(admin);
        receiver.Stop();
        await serving;
        latencies.Sort();
        var sorted = latencies.ToArray();
        Print("server_resident_sensors", residentAtEnd);
        Print("server_background_hb_per_s", kept);
        Print("server_transition_to_webhook_samples", samples);
        Print("server_transition_to_webhook_p50_ms", LoadGenerator.Percentile(sorted, 0.50));
        Print("server_transition_to_webhook_p99_ms", LoadGenerator.Percentile(sorted, 0.99));
    }

    private static string SampleSensor(int i) => $"lat-sensor-{i.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Every resident sensor once per <see cref="Cycle"/>, in batches, until stopped; returns the heartbeats per second sent.</summary>
    private static async Task<double> KeepResidentAsync(LoadGenerator fleet, int resident, CancellationToken stop)
    {
        var batchesPerCycle = resident / BatchSize;
        var pause = Cycle / batchesPerCycle;
        var sent = 0L;
        var watch = Stopwatch.StartNew();
        for (var round = 1_000; !stop.IsCancellationRequested; round++)
        {
            for (var b = 0; b < batchesPerCycle && !stop.IsCancellationRequested; b++)
            {
                var batch = b;
                var current = round;
                await fleet.ClosedLoopAsync(_ => Batch(batch, current), 1, HttpStatusCode.Accepted);
                sent += BatchSize;
                try
                {
                    await Task.Delay(pause, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        return sent / watch.Elapsed.TotalSeconds;
    }

    private static HttpRequestMessage Batch(long batch, int round)
    {
        var json = new StringBuilder("[");
        for (var k = 0; k < BatchSize; k++)
        {
            json.Append(CultureInfo.InvariantCulture, $$"""{{(k == 0 ? "" : ",")}}{"sensorId":"res-{{(batch * BatchSize) + k}}","sequence":{{round}}}""");
        }

        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/heartbeats") { Content = new StringContent(json.Append(']').ToString(), Encoding.UTF8, "application/json") };
    }

    private static async Task BeatAsync(HttpClient sensors, string sensor, string status)
    {
        using var response = await sensors.PostAsJsonAsync($"/api/v1/heartbeats/{sensor}", new { status });
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"{sensor}'s {status} beat was answered {(int)response.StatusCode}");
        }
    }

    /// <summary>When the alert listing <paramref name="sensor"/> arrived at the receiver.</summary>
    private static async Task<long> ArrivalAsync(Dictionary<string, long> arrivals, string sensor)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            lock (arrivals)
            {
                if (arrivals.TryGetValue(sensor, out var at))
                {
                    return at;
                }
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"No alert listed {sensor} within 60 s.");
    }

    private static async Task ServeAsync(HttpListener receiver, Dictionary<string, long> arrivals)
    {
        while (receiver.IsListening)
        {
            try
            {
                var context = await receiver.GetContextAsync();
                var at = Stopwatch.GetTimestamp();
                using (var body = await JsonDocument.ParseAsync(context.Request.InputStream))
                {
                    lock (arrivals)
                    {
                        foreach (var listed in body.RootElement.GetProperty("sensors").EnumerateArray())
                        {
                            arrivals.TryAdd(listed.GetProperty("id").GetString()!, at);
                        }
                    }
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
        }
    }

    private static HttpClient IngestClient(Uri server, string key) =>
        new() { BaseAddress = server, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) } };

    private static async Task<long> CreatedIdAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PostAsJsonAsync(path, body);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetInt64();
    }

    private static async Task<long> ResidentAsync(HttpClient admin)
    {
        using var status = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/status"));
        return status.RootElement.TryGetProperty("residentSensors", out var count) ? count.GetInt64() : -1;
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0.#}"));
}
