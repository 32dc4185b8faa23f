using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Simulator;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FleetHealth.Server.Tests.Simulator;

/// <summary>The simulator's offline queue against real HTTP: outage first, server later, nothing lost.</summary>
public sealed class OfflineReplayTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>, IDisposable
{
    private readonly StringWriter _log = new();
    private readonly string _queueDir = Path.Combine(Path.GetTempPath(), $"fh-simq-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_queueDir))
        {
            Directory.Delete(_queueDir, recursive: true);
        }
    }

    [Fact]
    public async Task Beats_queued_while_the_server_is_down_all_arrive_once_it_is_up()
    {
        var port = FreePort.Next();
        var (_, key) = await new IngestKeyStore(db.DataSource).CreateAsync("simulator", null, "tests", CancellationToken.None);
        await using var simulation = Simulate(port, sensors: 20, prefix: "outage-", key: key);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = simulation.RunAsync(stop.Token);

        // No server on the port: everything goes to the disk queue.
        await Eventually.Until(() => Task.FromResult(simulation.Queued), q => q >= 20, TimeSpan.FromSeconds(10), "beats pile up in the queue");
        Assert.Equal(0, simulation.Stats.Acked);

        await using var server = new ServerFactory().WithWebHostBuilder(b =>
            b.UseSetting("Database:ConnectionString", db.ConnectionString));
        server.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        server.StartServer();

        await run.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(0, simulation.Queued);
        Assert.Equal(0, simulation.Stats.Failed);
        Assert.True(simulation.Stats.Rejected == 0, _log.ToString());
        Assert.True(simulation.Stats.Retries > 0);
        Assert.Equal(simulation.Stats.Sent, simulation.Stats.Acked);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var viewer = await server.CreateOperatorAsync(OperatorRoles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(viewer, TestAccess.Password))).StatusCode);
        for (var i = 0; i < simulation.Fleet.Ids.Count; i++)
        {
            var sensor = await client.GetFromJsonAsync<SensorView>($"/api/v1/sensors/{simulation.Fleet.Ids[i]}");
            Assert.Equal(simulation.Fleet.Generated(i), sensor!.HeartbeatCount);
        }
    }

    [Fact]
    public async Task Replay_delivers_each_sensors_beats_in_sequence_order_without_gaps_or_repeats()
    {
        var port = FreePort.Next();
        var up = false;
        var received = new ConcurrentQueue<(string Id, long Seq)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var fake = builder.Build();
        fake.MapPost("/api/v1/heartbeats/{id}", async (string id, HttpRequest request) =>
        {
            if (!Volatile.Read(ref up))
            {
                return Results.StatusCode(503);
            }

            using var body = await JsonDocument.ParseAsync(request.Body);
            received.Enqueue((id, body.RootElement.GetProperty("sequence").GetInt64()));
            return Results.Accepted();
        });
        await fake.StartAsync();

        await using var simulation = Simulate(port, sensors: 10, prefix: "order-");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = simulation.RunAsync(stop.Token);
        await Eventually.Until(() => Task.FromResult(simulation.Queued), q => q >= 40, TimeSpan.FromSeconds(15), "beats pile up while the server answers 503");
        Volatile.Write(ref up, true);
        await run.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(simulation.Stats.Sent, received.Count);
        foreach (var group in received.GroupBy(r => r.Id))
        {
            var sequences = group.Select(r => r.Seq).ToList();
            var index = simulation.Fleet.Ids.ToList().IndexOf(group.Key);
            Assert.Equal(LongRange(simulation.Fleet.Generated(index)), sequences);
        }
    }

    [Fact]
    public async Task Stopping_with_ctrl_c_keeps_every_unsent_beat_on_disk_for_the_next_run()
    {
        var port = FreePort.Next();
        long sent;
        await using (var first = Simulate(port, sensors: 50, prefix: "stop-", duration: "60s"))
        {
            using var stop = new CancellationTokenSource();
            var run = first.RunAsync(stop.Token);
            await Eventually.Until(() => Task.FromResult(first.Queued), q => q >= 50, TimeSpan.FromSeconds(10), "beats are queued");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            sent = first.Stats.Sent;
            Assert.Equal(sent, first.Queued);
        }

        await using var second = Simulate(port, sensors: 50, prefix: "stop-");
        Assert.Equal(sent, second.Queued);
    }

    [Fact]
    public async Task Batch_mode_posts_arrays_with_the_ingest_key()
    {
        var port = FreePort.Next();
        var items = new ConcurrentQueue<string>();
        var badAuth = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var fake = builder.Build();
        fake.MapPost("/api/v1/heartbeats", async (HttpRequest request) =>
        {
            if (request.Headers.Authorization.ToString() != "Bearer secret-1")
            {
                Interlocked.Increment(ref badAuth);
                return Results.StatusCode(401);
            }

            using var body = await JsonDocument.ParseAsync(request.Body);
            foreach (var item in body.RootElement.EnumerateArray())
            {
                items.Enqueue($"{item.GetProperty("sensorId").GetString()}#{item.GetProperty("sequence").GetInt64()}");
            }

            return Results.Accepted();
        });
        await fake.StartAsync();

        var options = SimulatorArgs.Parse(
            ["--url", $"http://127.0.0.1:{port}", "--sensors", "30", "--interval", "200ms", "--duration", "1s", "--batch", "8", "--key", "secret-1"],
            out var error,
            out _);
        Assert.Null(error);
        await using var simulation = new Simulation(options!, new HttpBeatTransport(options!.Url!, options.Key, options.Batch, options.Concurrency, _log), TextWriter.Null);
        await simulation.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, badAuth);
        Assert.True(simulation.Stats.Sent > 30);
        Assert.Equal(simulation.Stats.Sent, simulation.Stats.Acked);
        Assert.Equal(simulation.Stats.Sent, items.Distinct().Count());
    }

    private static List<long> LongRange(long count) => [.. Enumerable.Range(0, (int)count).Select(i => (long)i)];

    private Simulation Simulate(int port, int sensors, string prefix, string duration = "4s", string? key = null)
    {
        var options = SimulatorArgs.Parse(
            [
                "--url", $"http://127.0.0.1:{port}",
                "--sensors", sensors.ToString(CultureInfo.InvariantCulture),
                "--interval", "200ms",
                "--duration", duration,
                "--drain", "30s",
                "--prefix", prefix,
                "--seq-start", "0",
                "--queue-dir", _queueDir,
            ],
            out var error,
            out _);
        Assert.Null(error);
        var transport = new HttpBeatTransport(options!.Url!, key, 0, options.Concurrency, _log);
        return new Simulation(options, transport, TextWriter.Null);
    }
}
