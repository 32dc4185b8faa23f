using System.Diagnostics;
using System.Globalization;
using System.Net;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Bench.Notifications;

/// <summary>
/// <c>notifications [--sensors N] [--samples N]</c>: the notification pipeline on a real database
/// with a real HTTP receiver, from the projection's outbox write to the webhook's arrival (the
/// grouper and a delivery driven back to back, so without the idle polling of
/// <c>Notifications:PollMilliseconds</c>, which adds up to two poll periods in the server).
/// Prints how many messages an outage of N sensors of one tag makes and how long it takes, then
/// the p50/p99 of single transitions. Then (unless <c>--no-server</c>) the same through a whole
/// server process with <c>--resident</c> sensors resident (<see cref="ServerNotificationBenchmark"/>).
/// </summary>
internal static class NotificationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var sensors = Option(args, "--sensors", 10_000);
        var samples = Option(args, "--samples", 200);
        await using var database = await BenchDatabase.CreateAsync();
        var dataSource = database.DataSource;
        using var receiver = new HttpListener();
        var port = BenchDatabase.FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var arrivals = new List<long>();
        var serving = Task.Run(async () =>
        {
            while (receiver.IsListening)
            {
                try
                {
                    var context = await receiver.GetContextAsync();
                    await context.Request.InputStream.CopyToAsync(Stream.Null);
                    lock (arrivals)
                    {
                        arrivals.Add(Stopwatch.GetTimestamp());
                    }

                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return; // stopped
                }
            }
        });

        var options = Options.Create(new NotificationOptions { AllowedTargets = ["127.0.0.1"] });
        var clock = TimeProvider.System;
        var guard = new TargetGuard(options);
        using var http = new NotificationHttp(guard);
        var store = new DeliveryStore(dataSource);
        var deliveries = new DeliveryService(new ChannelSender(http, new EmailSender(guard, options), clock), store, options, clock);
        var readiness = new DatabaseReadiness();
        var grouper = new AlertGrouper(dataSource, new AlertComposer(options), readiness, new StorageOutageLog(NullLogger.Instance, clock), options, clock, NullLogger<AlertGrouper>.Instance);
        var outbox = new NotificationOutbox(options, clock);
        var channel = await new ChannelStore(dataSource, clock).CreateAsync("bench", "webhook", new ChannelConfig($"http://127.0.0.1:{port}/hook", null, null, null, null, null, null), "bench-secret", "bench", CancellationToken.None);
        var rules = new RuleStore(dataSource, clock);
        await rules.CreateAsync(new RuleDefinition("outage", ["stale"], "site-1", [channel.Id], 0, 300, 14400), "bench", CancellationToken.None);
        await rules.CreateAsync(new RuleDefinition("faults", ["fault"], "lat", [channel.Id], 0, 0.001, 14400), "bench", CancellationToken.None);
        await ExecuteAsync(dataSource, $"""
            INSERT INTO sensors (sensor_id, first_seen, last_seen, status, tags)
            SELECT 'o-' || i, now(), now(), 'stale', ARRAY['site-1'] FROM generate_series(1, {sensors}) AS i;
            INSERT INTO sensors (sensor_id, first_seen, last_seen, status, tags)
            SELECT 'l-' || i, now(), now(), 'fault', ARRAY['lat'] FROM generate_series(1, {samples}) AS i
            """);

        // Warm-up (first connection, first statements), on a sensor no rule takes.
        await WriteAsync(dataSource, outbox, [new ProjectedTransition("nobody", LivenessStatus.Healthy, LivenessStatus.Late, DateTimeOffset.UtcNow)]);
        await grouper.RunOnceAsync(CancellationToken.None);

        // An outage: every sensor of the tag goes stale at once, in projection batches of 5,000.
        var started = Stopwatch.GetTimestamp();
        var at = DateTimeOffset.UtcNow;
        foreach (var chunk in Enumerable.Range(1, sensors).Chunk(5000))
        {
            await WriteAsync(dataSource, outbox, [.. chunk.Select(i => new ProjectedTransition($"o-{i}", LivenessStatus.Late, LivenessStatus.Stale, at))]);
        }

        var written = Stopwatch.GetElapsedTime(started);
        await DeliverUntilAsync(grouper, store, deliveries, arrivals, 1);
        var outageMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await grouper.RunOnceAsync(CancellationToken.None);
        var messages = await CountAsync(dataSource, "SELECT count(*) FROM notifications");

        var latencies = new List<double>();
        for (var i = 1; i <= samples; i++)
        {
            var before = Arrived(arrivals);
            var start = Stopwatch.GetTimestamp();
            await WriteAsync(dataSource, outbox, [new ProjectedTransition($"l-{i}", LivenessStatus.Healthy, LivenessStatus.Fault, DateTimeOffset.UtcNow)]);
            await DeliverUntilAsync(grouper, store, deliveries, arrivals, before + 1);
            long arrived;
            lock (arrivals)
            {
                arrived = arrivals[^1];
            }

            latencies.Add(Stopwatch.GetElapsedTime(start, arrived).TotalMilliseconds);
        }

        receiver.Stop();
        await serving;
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outage_sensors: {sensors}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outage_messages: {messages}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outage_outbox_write_ms: {written.TotalMilliseconds:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outage_to_webhook_ms: {outageMs:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transition_to_webhook_samples: {samples}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transition_to_webhook_p50_ms: {latencies[latencies.Count / 2]:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"transition_to_webhook_p99_ms: {latencies[Math.Min(latencies.Count - 1, (int)(latencies.Count * 0.99))]:F1}"));
        if (!args.Contains("--no-server"))
        {
            await ServerNotificationBenchmark.RunAsync(Option(args, "--resident", 100_000), samples);
        }

        return 0;
    }

    /// <summary>Groups and delivers until <paramref name="count"/> messages have arrived.</summary>
    private static async Task DeliverUntilAsync(AlertGrouper grouper, DeliveryStore store, DeliveryService deliveries, List<long> arrivals, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Arrived(arrivals) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No message arrived within 60 s.");
            }

            await grouper.RunOnceAsync(CancellationToken.None);
            foreach (var delivery in await store.ClaimAsync(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1), "bench", 100, CancellationToken.None))
            {
                var (outcome, tries) = await deliveries.RunRoundAsync(delivery, CancellationToken.None);
                var (status, retryAt) = deliveries.Next(delivery, outcome, tries, DateTimeOffset.UtcNow);
                await store.RecordAsync(delivery.Id, "bench", tries, outcome, status, DateTimeOffset.UtcNow, retryAt, CancellationToken.None);
            }
        }
    }

    private static int Arrived(List<long> arrivals)
    {
        lock (arrivals)
        {
            return arrivals.Count;
        }
    }

    private static async Task WriteAsync(NpgsqlDataSource dataSource, NotificationOutbox outbox, IReadOnlyList<ProjectedTransition> transitions)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await outbox.WriteAsync(connection, transaction, transitions, CancellationToken.None);
        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }
}
