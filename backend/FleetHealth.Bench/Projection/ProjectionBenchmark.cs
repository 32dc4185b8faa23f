using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Akka.Actor;
using Akka.Configuration;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FleetHealth.Bench.Projection;

/// <summary>
/// <c>projection</c>: the read-model projection fed by Akka.Persistence.Query
/// (<see cref="AkkaJournalFeed"/>) under a steady write load: sensors' persistent actors persist
/// heartbeats into the Sql journal at a fixed rate (open loop), the projection runs as in the
/// server, and each event's lag is measured from its journal write time (the row's <c>created</c>,
/// when the journal took the write) and from its persist acknowledgement to the moment the
/// projection's offset passed it (status sampled every millisecond). Also the status's own view
/// of the lag (<see cref="ProjectionStatus.OldestUnappliedAgeMs"/>, every 100 ms). The events of the
/// warm-up are left out. <c>--feed-only</c>: the same without the read model, batches taken as they
/// come (the read journal's share). The journal rows are read by the benchmark, after the run, to
/// measure: the feed never reads them.
/// </summary>
internal static class ProjectionBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (!GCSettings.IsServerGC)
        {
            return await JournalBenchmark.RerunWithServerGcAsync("projection", args);
        }

        var rate = Option(args, "--rate", 20_000);
        var seconds = Option(args, "--seconds", 10);
        var warmup = Option(args, "--warmup", 3);
        var sensors = Option(args, "--sensors", 5_000);
        var feedOnly = args.Contains("--feed-only");
        await using var database = await BenchDatabase.CreateAsync();
        var defaults = new AkkaJournalOptions();
        var journalOptions = new AkkaJournalOptions
        {
            QueryBatchSize = Option(args, "--query-batch", defaults.QueryBatchSize),
            QueryInterval = TimeSpan.FromMilliseconds(Option(args, "--query-interval-ms", (int)defaults.QueryInterval.TotalMilliseconds)),
        };
        var projectionOptions = new ProjectionOptions();
        using var system = ActorSystem.Create("bench-projection", ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(SensorEventSerializer.Config)
            .WithFallback(AkkaJournalConfiguration.ToConfig(database.ConnectionString, journalOptions)));
        var load = await SteadyLoad.StartAsync(system, sensors);
        using var feed = new AkkaJournalFeed(system, Options.Create(projectionOptions), TimeProvider.System);

        var measuredFrom = DateTime.UtcNow.AddSeconds(warmup).Ticks;
        var (applied, statusAges, steps, caughtUp) = feedOnly
            ? await FeedOnlyAsync(feed, database, load, rate, warmup + seconds, projectionOptions.BatchSize)
            : await ProjectedAsync(feed, database, load, rate, warmup + seconds, projectionOptions);
        var measuredTo = measuredFrom + TimeSpan.FromSeconds(seconds).Ticks;
        var events = await JournalEvents.ReadAsync(database, measuredFrom, measuredTo);
        var lags = Lags(events, applied, load);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"projection_settings: {(feedOnly ? "feed only (no read model), " : "")}rate {rate}/s for {seconds} s after {warmup} s warm-up, sensors {sensors}, batch {projectionOptions.BatchSize}, query interval {journalOptions.QueryInterval.TotalMilliseconds} ms, query batch {journalOptions.QueryBatchSize}, gap timeout {journalOptions.QueryGapTimeout.TotalSeconds} s, server_gc {GCSettings.IsServerGC}"));
        Print("projection_written_ev_per_s", events.Count / (double)seconds);
        Print("projection_caught_up", caughtUp ? 1 : 0);
        if (!feedOnly)
        {
            // Every journal event is a heartbeat: any not counted in the read model was never delivered.
            Print("projection_events_missed", await ScalarAsync(database, "SELECT (SELECT count(*) FROM akka.event_journal) - (SELECT coalesce(sum(heartbeat_count), 0) FROM sensors)"));
        }

        Print("projection_lag_p50_ms", Percentile(lags.FromWrite, 0.50));
        Print("projection_lag_p99_ms", Percentile(lags.FromWrite, 0.99));
        Print("projection_lag_max_ms", Percentile(lags.FromWrite, 1.0));
        Print("projection_lag_after_ack_p50_ms", Percentile(lags.FromAck, 0.50));
        Print("projection_lag_after_ack_p99_ms", Percentile(lags.FromAck, 0.99));
        if (!feedOnly)
        {
            // The status as an operator would have read it during the measured window.
            var ages = statusAges.Where(a => a.At >= measuredFrom && a.At < measuredTo).Select(a => a.AgeMs).ToList();
            Print("projection_status_age_p50_ms", Percentile(ages, 0.50));
            Print("projection_status_age_p99_ms", Percentile(ages, 0.99));
        }

        Print(feedOnly ? "projection_feed_batches_per_s" : "projection_transactions_per_s", steps / (double)(warmup + seconds));
        await system.Terminate();
        return 0;
    }

    /// <summary>The projection as the server runs it; offsets from its status.</summary>
    private static async Task<(List<(long At, long Offset)>, List<(long At, double AgeMs)>, long, bool)> ProjectedAsync(
        AkkaJournalFeed feed, BenchDatabase database, SteadyLoad load, int rate, int seconds, ProjectionOptions options)
    {
        using var projection = Projection(database, feed, options);
        await projection.StartAsync(CancellationToken.None);
        using var sampling = new CancellationTokenSource();
        var sampler = StatusSampler.RunAsync(projection, sampling.Token);
        var sent = await load.RunAsync(rate, TimeSpan.FromSeconds(seconds));
        await load.AllAcknowledgedAsync(sent, TimeSpan.FromMinutes(2));
        var head = await JournalHeadAsync(database);
        var deadline = Stopwatch.StartNew();
        while (projection.Status.Offset < head && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(10);
        }

        await sampling.CancelAsync();
        var (offsets, ages, steps) = await sampler;
        var caughtUp = projection.Status.Offset >= head;
        await projection.StopAsync(CancellationToken.None);
        return (offsets, ages, steps, caughtUp);
    }

    /// <summary>A cursor drained as fast as it delivers, without writing anything.</summary>
    private static async Task<(List<(long At, long Offset)>, List<(long At, double AgeMs)>, long, bool)> FeedOnlyAsync(
        AkkaJournalFeed feed, BenchDatabase database, SteadyLoad load, int rate, int seconds, int batchSize)
    {
        using var reading = new CancellationTokenSource();
        var reader = FeedOnly.RunAsync(feed, await JournalHeadAsync(database), batchSize, reading.Token);
        var sent = await load.RunAsync(rate, TimeSpan.FromSeconds(seconds));
        await load.AllAcknowledgedAsync(sent, TimeSpan.FromMinutes(2));
        var head = await JournalHeadAsync(database);
        var deadline = Stopwatch.StartNew();
        while (!reader.IsCompleted && FeedOnly.Last < head && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(10);
        }

        await reading.CancelAsync();
        var (taken, batches) = await reader;
        return (taken, [], batches, taken.Count > 0 && taken[^1].Offset >= head);
    }

    private static ReadModelProjection Projection(BenchDatabase database, IJournalFeed feed, ProjectionOptions options)
    {
        var readiness = new DatabaseReadiness();
        readiness.MarkMigrated();
        return new ReadModelProjection(
            feed,
            new ReadModelWriter(database.DataSource),
            database.DataSource,
            readiness,
            new HeartbeatRetention(Options.Create(new ReadModelOptions()), TimeProvider.System),
            Options.Create(options),
            TimeProvider.System,
            new StorageOutageLog(NullLogger.Instance, TimeProvider.System),
            NullLogger<ReadModelProjection>.Instance);
    }

    /// <summary>Each event's lag: the first sample whose offset had passed its ordering, minus its write time and its acknowledgement.</summary>
    private static (List<double> FromWrite, List<double> FromAck) Lags(List<JournalEvents.Row> events, List<(long At, long Offset)> offsets, SteadyLoad load)
    {
        var fromWrite = new List<double>(events.Count);
        var fromAck = new List<double>(events.Count);
        var s = 0;
        foreach (var e in events)
        {
            while (s < offsets.Count && offsets[s].Offset < e.Ordering)
            {
                s++;
            }

            if (s == offsets.Count)
            {
                break;
            }

            fromWrite.Add(TimeSpan.FromTicks(offsets[s].At - e.Created).TotalMilliseconds);
            if (load.AcknowledgedAt(e.PersistenceId, e.SequenceNr) is { } acked)
            {
                fromAck.Add(TimeSpan.FromTicks(offsets[s].At - acked).TotalMilliseconds);
            }
        }

        return (fromWrite, fromAck);
    }

    private static Task<long> JournalHeadAsync(BenchDatabase database) => ScalarAsync(database, "SELECT coalesce(max(ordering), 0) FROM akka.event_journal");

    private static async Task<long> ScalarAsync(BenchDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)(values.Count * p))];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0}"));
}
