using System.Diagnostics;
using System.Globalization;
using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Bench;

/// <summary>
/// `runtime` mode: message throughput, memory per idle actor with an armed timer, and journal
/// throughput against raw binary COPY on the same database in the same run.
/// </summary>
internal static class RuntimeBenchmark
{
    private const int IdleActors = 1_000_000;
    private const int PersistingActors = 10_000;
    private const int EventsPerActor = 20;

    public static async Task RunAsync(string[] args)
    {
        _ = args;
        Print("actor_msgs_per_s", await MessagesPerSecondAsync());
        Print("idle_actor_bytes", await IdleActorBytesAsync(IdleActors));
        await using var database = await BenchDatabase.CreateAsync();
        var journal = await JournalEventsPerSecondAsync(database);
        var copy = await CopyRowsPerSecondAsync(database, PersistingActors * EventsPerActor);
        Print("journal_events_per_s", journal);
        Print("copy_rows_per_s", copy);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"journal_vs_copy: {journal / copy:0.00}"));
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0}"));

    /// <summary>Tell throughput: 2 producers, 1,000 actors, 10 million messages.</summary>
    private static async Task<double> MessagesPerSecondAsync()
    {
        const int actors = 1_000;
        const int perActor = 10_000;
        await using var system = new ActorSystem("bench-msgs");
        var done = new Countdown(actors);
        var refs = Enumerable.Range(0, actors).Select(_ => system.ActorOf(Props.Create(() => new CountingActor(perActor, done)))).ToArray();
        var message = new object();
        var watch = Stopwatch.StartNew();
        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            for (var round = 0; round < perActor; round++)
            {
                for (var i = p; i < actors; i += 2)
                {
                    refs[i].Tell(message);
                }
            }
        })).ToArray();
        await Task.WhenAll(producers);
        await done.Task;
        return (double)actors * perActor / watch.Elapsed.TotalSeconds;
    }

    /// <summary>GC heap growth per resident idle actor (registry entry, cell, instance, id, timer), after full collections.</summary>
    internal static async Task<double> IdleActorBytesAsync(int count)
    {
        var system = new ActorSystem("bench-idle");
        var props = Props.Create(() => new IdleActor());
        var before = SettledHeap();
        for (var i = 0; i < count; i++)
        {
            system.ActorOf(props, "sensor-" + i.ToString(CultureInfo.InvariantCulture));
        }

        while (system.ArmedTimers < count)
        {
            await Task.Delay(50);
        }

        var after = SettledHeap();
        GC.KeepAlive(system);
        await system.DisposeAsync();
        return (double)(after - before) / count;
    }

    private static long SettledHeap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Durable events/s: 10,000 recovered actors persisting 20 events each, concurrently, through one PostgresJournal.</summary>
    private static async Task<double> JournalEventsPerSecondAsync(BenchDatabase database)
    {
        await using var journal = new PostgresJournal(database.DataSource);
        var settings = new ActorSystemSettings
        {
            Journal = journal,
            SnapshotStore = new PostgresSnapshotStore(database.DataSource),
            Serializer = new EventSerializer().Register("bench.beat", BenchJsonContext.Default.BeatRecorded),
        };
        await using var system = new ActorSystem("bench-journal", settings);
        var done = new Countdown(PersistingActors);
        var props = Props.Create(() => new PersistingActor(done));
        var actors = Enumerable.Range(0, PersistingActors).Select(i => system.GetOrCreate($"bench-{i}", props)).ToArray();
        await Task.WhenAll(actors.Select(a => a.Ask("ping", TimeSpan.FromMinutes(2))));

        var watch = Stopwatch.StartNew();
        foreach (var actor in actors)
        {
            actor.Tell(new Go(EventsPerActor));
        }

        await done.Task;
        var elapsed = watch.Elapsed.TotalSeconds;
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"(journal: {journal.Batches} batches, {(double)PersistingActors * EventsPerActor / journal.Batches:0} events per batch)"));
        return (double)PersistingActors * EventsPerActor / elapsed;
    }

    /// <summary>
    /// Raw binary COPY of the same number of rows of the same shape into a copy of the journal table,
    /// in transactions of the journal's batch size (10,000), from one connection: the ceiling for the journal.
    /// </summary>
    private static async Task<double> CopyRowsPerSecondAsync(BenchDatabase database, int rows)
    {
        const int batch = 10_000;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE journal_copy_bench (LIKE journal INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var serializer = new EventSerializer().Register("bench.beat", BenchJsonContext.Default.BeatRecorded);
        var payload = serializer.Serialize(new BeatRecorded(1, DateTimeOffset.UtcNow, 3.61, "ok"), out var manifest);
        string[] tags = [];
        var watch = Stopwatch.StartNew();
        for (var written = 0; written < rows; written += batch)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY journal_copy_bench (persistence_id, sequence_nr, manifest, payload, tags) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = written; i < Math.Min(rows, written + batch); i++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync("bench-" + (i % PersistingActors).ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                    await importer.WriteAsync((long)(i / PersistingActors) + 1, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(manifest, NpgsqlDbType.Text);
                    await importer.WriteAsync(payload, NpgsqlDbType.Bytea);
                    await importer.WriteAsync(tags, NpgsqlDbType.Array | NpgsqlDbType.Text);
                }

                await importer.CompleteAsync();
            }

            await transaction.CommitAsync();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }
}
