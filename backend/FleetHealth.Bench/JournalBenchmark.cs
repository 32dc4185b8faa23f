using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetHealth.Coordination;
using FleetHealth.Server.Storage;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Bench;

/// <summary>
/// `journal` mode: events/s persisted through Akka.Persistence.Sql with FleetHealth's configuration
/// (<see cref="AkkaJournalConfiguration"/>) by many actors, against raw binary COPY of the same rows
/// into a table shaped and indexed like the plugin's journal, on the same database in the same run;
/// then the read journal's delivery delay after a persist. <c>--fence</c> chooses how the journal
/// fence (migration 0016) takes part: <c>unfenced</c> (default: the trigger runs, sessions declare no
/// writer), <c>fenced</c> (the journal declares a writer that holds all 100 shard leases, so every
/// batch is checked) or <c>none</c> (the trigger dropped: the journal as before 0016).
/// </summary>
internal static class JournalBenchmark
{
    private const int DefaultActors = 10_000;
    private const int DefaultEventsPerActor = 20;
    private const int CopyBatch = 1_000;
    private const int LatencySamples = 200;
    private const int FenceShards = 100;
    private const string StreamPrefix = "sensor/bench-";
    private const string LatencyStream = "sensor/latency";

    /// <summary>The event: opaque bytes (Akka's byte-array serializer), so the figure is the journal's, not a serializer's.</summary>
    private static readonly byte[] Payload = new byte[64];

    public static async Task<int> RunAsync(string[] args)
    {
        // The server runs server GC; the other benchmarks of this process measure with workstation GC.
        if (!GCSettings.IsServerGC)
        {
            return await RerunWithServerGcAsync("journal", args);
        }

        var actors = Option(args, "--actors", DefaultActors);
        var eventsPerActor = Option(args, "--events", DefaultEventsPerActor);
        var fenceMode = Text(args, "--fence", "unfenced");
        await using var database = await BenchDatabase.CreateAsync();
        var options = new AkkaJournalOptions();
        var fence = await PrepareFenceAsync(database, fenceMode);
        // --stores plugin: Akka.Persistence.Sql's own journal and snapshot store, the baseline of
        // FleetHealth's (BatchedSqlWriteJournal, BatchedSnapshotStore: the same with recoveries' reads batched).
        var stores = Text(args, "--stores", "batched");
        var pluginStores = stores == "plugin"
            ? $"""
              {AkkaJournalConfiguration.JournalPluginId}.class = "{typeof(Akka.Persistence.Sql.Journal.SqlWriteJournal).AssemblyQualifiedName}"
              {AkkaJournalConfiguration.SnapshotPluginId}.class = "{typeof(Akka.Persistence.Sql.Snapshot.SqlSnapshotStore).AssemblyQualifiedName}"

              """
            : "";
        var config = ConfigurationFactory.ParseString(pluginStores + "akka.loglevel = WARNING")
            .WithFallback(AkkaJournalConfiguration.ToConfig(database.ConnectionString, options, fence));
        using var system = ActorSystem.Create("bench-journal", config);

        var (journal, recoveryNew) = await JournalEventsPerSecondAsync(system, actors, eventsPerActor);
        var recoveryReplay = await RecoveriesPerSecondAsync(system, actors, eventsPerActor);
        // Warm (the first phase also pays for the process's start: JIT, connection pools), both ways.
        var recoveryNewWarm = await NewRecoveriesPerSecondAsync(system, actors, "warm-", readSnapshot: true);
        var recoveryNewNoSnapshot = await NewRecoveriesPerSecondAsync(system, actors, "unsnapshotted-", readSnapshot: false);
        var (p50, p99) = await DeliveryDelayAsync(system, database);
        await system.Terminate();
        var copy = await CopyRowsPerSecondAsync(database, actors, eventsPerActor);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"journal_settings: actors {actors}, events/actor {eventsPerActor}, buffer {options.BufferSize}, batch {options.BatchSize}, round-trip {options.DbRoundTripMaxBatchSize}, parallelism {options.Parallelism}, server_gc {GCSettings.IsServerGC}, fence {fenceMode}, stores {stores}"));
        Print("journal_events_per_s", journal);
        Print("copy_rows_per_s", copy);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"journal_vs_copy: {journal / copy:0.00}"));
        Print("recovery_new_per_s", recoveryNew);
        Print("recovery_replay_per_s", recoveryReplay);
        Print("recovery_new_warm_per_s", recoveryNewWarm);
        Print("recovery_new_without_snapshot_read_per_s", recoveryNewNoSnapshot);
        Print("read_journal_delivery_p50_ms", p50);
        Print("read_journal_delivery_p99_ms", p99);
        return 0;
    }

    /// <summary>
    /// All actors recovered first (the fleet is resident: their recoveries, of streams with no
    /// events, are the second figure, per second); then each persists its events one after
    /// another, all actors at once. The actors are stopped after.
    /// </summary>
    private static async Task<(double EventsPerSecond, double RecoveriesPerSecond)> JournalEventsPerSecondAsync(ActorSystem system, int actors, int eventsPerActor)
    {
        var recovered = new Countdown(actors);
        var done = new Countdown(actors);
        var watch = Stopwatch.StartNew();
        var refs = Enumerable.Range(0, actors)
            .Select(i => system.ActorOf(Writer.Props(StreamPrefix + i.ToString(CultureInfo.InvariantCulture), eventsPerActor, recovered, done)))
            .ToList();
        await recovered.Task;
        var recoveries = actors / watch.Elapsed.TotalSeconds;
        watch.Restart();
        for (var round = 0; round < eventsPerActor; round++)
        {
            foreach (var writer in refs)
            {
                writer.Tell(Writer.Go.Instance);
            }
        }

        await done.Task;
        var events = (double)actors * eventsPerActor / watch.Elapsed.TotalSeconds;
        await StopAllAsync(refs);
        return (events, recoveries);
    }

    /// <summary>The same streams recovered again, all at once: each replays its events (no snapshots); recoveries per second.</summary>
    private static async Task<double> RecoveriesPerSecondAsync(ActorSystem system, int actors, int eventsPerActor)
    {
        var recovered = new Countdown(actors);
        var watch = Stopwatch.StartNew();
        var refs = Enumerable.Range(0, actors)
            .Select(i => system.ActorOf(Writer.Props(StreamPrefix + i.ToString(CultureInfo.InvariantCulture), eventsPerActor, recovered, new Countdown(1))))
            .ToList();
        await recovered.Task;
        var perSecond = actors / watch.Elapsed.TotalSeconds;
        await StopAllAsync(refs);
        return perSecond;
    }

    /// <summary>
    /// As many other new streams recovered in a warm process, reading their latest snapshot (as
    /// every recovery does) or not (<see cref="SnapshotSelectionCriteria.None"/>: Akka answers without
    /// asking the store): the difference is the snapshot read's share of a first contact's
    /// recovery; the rest is the journal's highest-sequence read and Akka's own work.
    /// </summary>
    private static async Task<double> NewRecoveriesPerSecondAsync(ActorSystem system, int actors, string prefix, bool readSnapshot)
    {
        var recovered = new Countdown(actors);
        var watch = Stopwatch.StartNew();
        var refs = Enumerable.Range(0, actors)
            .Select(i => StreamPrefix + prefix + i.ToString(CultureInfo.InvariantCulture))
            .Select(id => system.ActorOf(Akka.Actor.Props.Create(() => new Reader(id, readSnapshot, recovered))))
            .ToList();
        await recovered.Task;
        var perSecond = actors / watch.Elapsed.TotalSeconds;
        await StopAllAsync(refs);
        return perSecond;
    }

    private static Task StopAllAsync(IEnumerable<IActorRef> actors) =>
        Task.WhenAll(actors.Select(a => a.GracefulStop(TimeSpan.FromSeconds(30))));

    /// <summary>
    /// From a persist's confirmation to the read journal's AllEvents delivering it: one event every
    /// 20 ms (a quiet fleet: the delay is the polling's, not a backlog's).
    /// </summary>
    private static async Task<(double P50, double P99)> DeliveryDelayAsync(ActorSystem system, BenchDatabase database)
    {
        // From the end of the throughput run's events: a consumer that is caught up, not one reading a backlog.
        await using var max = database.DataSource.CreateCommand("SELECT coalesce(max(ordering), 0) FROM akka.event_journal");
        var caughtUp = (long)(await max.ExecuteScalarAsync())!;
        var confirmed = new ConcurrentDictionary<long, long>();
        var allConfirmed = new Countdown(LatencySamples);
        var delivered = new ConcurrentDictionary<long, long>();
        var queries = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(AkkaJournalConfiguration.ReadJournalPluginId);
        var stream = queries.AllEvents(Offset.Sequence(caughtUp))
            .Where(e => e.PersistenceId == LatencyStream)
            .Take(LatencySamples)
            .RunForeach(e => delivered[e.SequenceNr] = Stopwatch.GetTimestamp(), system.Materializer());
        var probe = system.ActorOf(Props.Create(() => new Stamper(confirmed, allConfirmed)));
        for (var i = 0; i < LatencySamples; i++)
        {
            probe.Tell(Writer.Go.Instance);
            await Task.Delay(20);
        }

        await stream.WaitAsync(TimeSpan.FromSeconds(60));
        await allConfirmed.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var delays = confirmed.Select(c => Stopwatch.GetElapsedTime(c.Value, delivered[c.Key]).TotalMilliseconds).Order().ToList();
        return (delays[delays.Count / 2], delays[(int)(delays.Count * 0.99)]);
    }

    /// <summary>Binary COPY, one connection, 1,000 rows per COPY each in its own commit, into a LIKE-copy of the plugin's journal (identity, keys, indexes).</summary>
    private static async Task<double> CopyRowsPerSecondAsync(BenchDatabase database, int actors, int eventsPerActor)
    {
        var rows = actors * eventsPerActor;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE akka.event_journal_copy_bench (LIKE akka.event_journal INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        // The same column values the plugin wrote for these events, apart from the stream keys.
        string? tags;
        string manifest;
        int identifier;
        string writerUuid;
        await using (var sample = new NpgsqlCommand("SELECT tags, manifest, identifier, writer_uuid FROM akka.event_journal WHERE persistence_id = 'sensor/bench-0' LIMIT 1", connection))
        await using (var reader = await sample.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            tags = reader.IsDBNull(0) ? null : reader.GetString(0);
            manifest = reader.IsDBNull(1) ? "" : reader.GetString(1);
            identifier = reader.GetInt32(2);
            writerUuid = reader.GetString(3);
        }

        var watch = Stopwatch.StartNew();
        for (var written = 0; written < rows; written += CopyBatch)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var importer = await connection.BeginBinaryImportAsync(
                "COPY akka.event_journal_copy_bench (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = written; i < Math.Min(rows, written + CopyBatch); i++)
                {
                    await importer.StartRowAsync();
                    await importer.WriteAsync(DateTime.UtcNow.Ticks, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(false, NpgsqlDbType.Boolean);
                    await importer.WriteAsync(StreamPrefix + (i % actors).ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Text);
                    await importer.WriteAsync((long)(i / actors) + 1, NpgsqlDbType.Bigint);
                    await importer.WriteAsync(Payload, NpgsqlDbType.Bytea);
                    if (tags is null)
                    {
                        await importer.WriteNullAsync();
                    }
                    else
                    {
                        await importer.WriteAsync(tags, NpgsqlDbType.Text);
                    }

                    await importer.WriteAsync(manifest, NpgsqlDbType.Text);
                    await importer.WriteAsync(identifier, NpgsqlDbType.Integer);
                    await importer.WriteAsync(writerUuid, NpgsqlDbType.Text);
                }

                await importer.CompleteAsync();
            }

            await transaction.CommitAsync();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Fenced: a writer holding every shard's lease for the run; none: the trigger dropped; unfenced: as migrated.</summary>
    private static async Task<JournalFence?> PrepareFenceAsync(BenchDatabase database, string mode)
    {
        switch (mode)
        {
            case "unfenced":
                return null;
            case "none":
                await using (var drop = database.DataSource.CreateCommand("DROP TRIGGER journal_fence ON akka.event_journal"))
                {
                    await drop.ExecuteNonQueryAsync();
                }

                return null;
            case "fenced":
                var fence = new JournalFence(JournalFence.NewWriter(), "bench", "sensor", FenceShards);
                await using (var leases = database.DataSource.CreateCommand("""
                    INSERT INTO akka.leases (name, owner, writer, epoch, acquired_at, expires_at)
                    SELECT $1 || s, 'bench', $2, 1, clock_timestamp(), clock_timestamp() + interval '1 day' FROM generate_series(0, $3 - 1) s
                    """))
                {
                    leases.Parameters.Add(new NpgsqlParameter { Value = fence.LeasePrefix });
                    leases.Parameters.Add(new NpgsqlParameter { Value = fence.Writer });
                    leases.Parameters.Add(new NpgsqlParameter { Value = FenceShards });
                    await leases.ExecuteNonQueryAsync();
                }

                return fence;
            default:
                throw new ArgumentException($"--fence is fenced, unfenced or none, not '{mode}'");
        }
    }

    private static string Text(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    /// <summary>Runs <paramref name="mode"/> again in a child process with server GC (the server's), and returns its exit code.</summary>
    internal static async Task<int> RerunWithServerGcAsync(string mode, string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, [mode, .. args]) { UseShellExecute = false };
        start.Environment["DOTNET_gcServer"] = "1";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Print(string name, double value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {value:0}"));

    private sealed class Countdown(int count)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left = count;

        public Task Task => _done.Task;

        public void Signal()
        {
            if (Interlocked.Decrement(ref _left) == 0)
            {
                _done.SetResult();
            }
        }
    }

    private sealed class Writer : ReceivePersistentActor
    {
        private int _left;

        public Writer(string persistenceId, int events, Countdown recovered, Countdown done)
        {
            PersistenceId = persistenceId;
            _left = events;
            Recover<RecoveryCompleted>(_ => recovered.Signal());
            Recover<byte[]>(_ => { });
            // One event per command, like a sensor's beats: Persist stashes the next command until
            // this one's handler ran, so every event is a write of its own to the journal.
            Command<Go>(_ => Persist(Payload, _ =>
            {
                if (--_left == 0)
                {
                    done.Signal();
                }
            }));
        }

        public override string PersistenceId { get; }

        /// <summary>Props from values, not an expression with calls in it (Akka would compile the call for every actor, and that cost is not the journal's).</summary>
        public static Props Props(string persistenceId, int events, Countdown recovered, Countdown done) =>
            Akka.Actor.Props.Create(() => new Writer(persistenceId, events, recovered, done));

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
            throw new InvalidOperationException("The benchmark's journal writes must not fail.", cause);

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
            throw new InvalidOperationException("The benchmark's journal writes must not be rejected.", cause);

        public sealed class Go
        {
            public static readonly Go Instance = new();
        }
    }

    private sealed class Reader : ReceivePersistentActor
    {
        public Reader(string persistenceId, bool readSnapshot, Countdown recovered)
        {
            PersistenceId = persistenceId;
            Recovery = readSnapshot ? Recovery.Default : new Recovery(SnapshotSelectionCriteria.None);
            Recover<RecoveryCompleted>(_ => recovered.Signal());
        }

        public override string PersistenceId { get; }

        public override Recovery Recovery { get; }
    }

    private sealed class Stamper : ReceivePersistentActor
    {
        public Stamper(ConcurrentDictionary<long, long> confirmed, Countdown allConfirmed)
        {
            Recover<byte[]>(_ => { });
            Command<Writer.Go>(_ => Persist(Payload, _ =>
            {
                confirmed[LastSequenceNr] = Stopwatch.GetTimestamp();
                allConfirmed.Signal();
            }));
        }

        public override string PersistenceId => LatencyStream;
    }
}
