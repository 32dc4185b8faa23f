using System.Text.Json;
using FleetHealth.Database;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Testing;
using Npgsql;
using static FleetHealth.Server.Tests.Upgrade.JournalTables;
using SensorActor = FleetHealth.Fleet.SensorActor;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>
/// Upgrade in place: the migration that carries the home-made runtime's journal into the
/// Akka.Persistence.Sql tables (db/migrations/0017_carry_journal_into_akka.sql), applied to databases
/// the previous release filled (a frozen copy of what its server wrote, or its journal's statements), after which the Akka
/// release's sensors run on. Each test has a database of its own (schema akka exists once per database).
/// </summary>
public sealed class UpgradeToAkkaJournalTests
{
    private const string CarriedWriter = "fleethealth-legacy-journal";
    private const string NotCarried = $"writer_uuid IS DISTINCT FROM '{CarriedWriter}'";

    private static readonly Migration Carry = MigrationSource.Embedded.Single(m => m.Name == "carry_journal_into_akka");
    private static readonly List<Migration> BeforeCarry = MigrationSource.Embedded.Where(m => m.Version < Carry.Version).ToList();
    private static readonly List<Migration> ThroughCarry = [.. BeforeCarry, Carry];

    [Fact]
    public async Task A_fleet_frozen_from_the_previous_release_runs_on_with_its_states_numbers_orderings_and_deadlines()
    {
        await using var db = await NewDatabaseAsync();
        await new Migrator(db.DataSource, BeforeCarry).MigrateAsync();
        var legacy = await PreviousReleaseFleet.LoadAsync(db.DataSource);

        await RunsOnAfterTheUpgradeAsync(db, legacy);
    }

    /// <summary>
    /// Upgrades a database holding <paramref name="legacy"/> (schema before the carry migration),
    /// then runs the Akka release's sensors on it and checks what they recover, decide and write.
    /// </summary>
    private static async Task RunsOnAfterTheUpgradeAsync(TestDatabase db, LegacyFleet legacy)
    {
        // The scenario covers what it claims to.
        Assert.Equal(
            [LivenessStatus.Healthy, LivenessStatus.Late, LivenessStatus.Retired, LivenessStatus.Dead, LivenessStatus.Registered, LivenessStatus.Healthy],
            PreviousReleaseFleet.Sensors.Select(id => legacy.States[id].Status));
        Assert.Equal(new[] { "roof", "site-a" }, legacy.States["up-tuned"].Settings.Tags);
        Assert.True(legacy.CompactedEvents > 100, $"compaction deleted {legacy.CompactedEvents} events");
        Assert.True(await ScalarAsync<long>(db.DataSource, "SELECT count(*) FROM journal_deletions") >= 4);
        Assert.True(await ScalarAsync<long>(db.DataSource, "SELECT count(DISTINCT persistence_id) FROM snapshots") >= 4);
        var legacyEvents = await LegacyEventsAsync(db.DataSource);
        var legacySnapshots = await LegacySnapshotsAsync(db.DataSource);
        var lastCarried = legacyEvents[^1].Ordering;
        Assert.Equal(lastCarried, legacy.ProjectionOffset); // the read model had applied everything

        Assert.Equal([Carry.Version], await new Migrator(db.DataSource, ThroughCarry).MigrateAsync());

        // Every event and snapshot as it was, in the plugin's columns, under the same orderings.
        Assert.Equal(legacyEvents, await AkkaEventsAsync(db.DataSource, "NOT deleted"));
        Assert.Equal(legacySnapshots, await AkkaSnapshotsAsync(db.DataSource));
        Assert.Equal(legacyEvents.Count, await ScalarAsync<long>(db.DataSource, $"""
            SELECT count(*) FROM akka.event_journal WHERE identifier = {SensorEventSerializer.Id} AND writer_uuid = '{CarriedWriter}' AND tags = ''
            """));
        Assert.Equal(legacySnapshots.Count, await ScalarAsync<long>(db.DataSource, $"SELECT count(*) FROM akka.snapshot_store WHERE serializer_id = {SensorEventSerializer.Id}"));
        // The old compaction always leaves an event above what it deleted: no stream needs a tombstone.
        Assert.Equal(0L, await ScalarAsync<long>(db.DataSource, "SELECT count(*) FROM akka.event_journal WHERE deleted"));

        Dictionary<string, SensorState> final;
        var akkaStarted = DateTime.UtcNow;
        var anHourLater = legacy.StoppedAt.AddHours(1);
        await using (var akka = new AkkaSensors(db.ConnectionString, PreviousReleaseFleet.Rules, PreviousReleaseFleet.SnapshotEvery, legacy.StoppedAt))
        {
            // Recovery gives the state the previous release showed, and decides nothing (no deadline had passed).
            foreach (var id in PreviousReleaseFleet.Sensors)
            {
                AssertSameState(legacy.States[id], await akka.StateAsync(id));
            }

            Assert.Empty(await AkkaEventsAsync(db.DataSource, NotCarried));

            // Deadlines: the timers run from the carried states. An hour on, each sensor has made
            // exactly the transitions the rules give for its carried state, stamped at its true deadlines.
            var expected = PreviousReleaseFleet.Sensors.ToDictionary(id => id, id => After(legacy.States[id], anHourLater, PreviousReleaseFleet.Rules));
            Assert.Contains(PreviousReleaseFleet.Sensors, id => expected[id].Status != legacy.States[id].Status);
            akka.Advance(TimeSpan.FromHours(1));
            foreach (var id in PreviousReleaseFleet.Sensors)
            {
                await Eventually.Until(() => akka.StateAsync(id), s => Json(s) == Json(expected[id]), TimeSpan.FromSeconds(30), $"{id} makes its transitions of the hour");
            }

            foreach (var id in PreviousReleaseFleet.Sensors.Where(id => id != "up-retired"))
            {
                Assert.Equal(IngestOutcome.Accepted, await akka.BeatAsync(id));
            }

            final = [];
            foreach (var id in PreviousReleaseFleet.Sensors)
            {
                final[id] = await akka.StateAsync(id);
            }

            Assert.Equal(legacy.States["up-steady"].HeartbeatCount + 1, final["up-steady"].HeartbeatCount);
        }

        // The Akka release's own events: each stream numbered on from the old release's highest
        // number (compacted streams included), every ordering after the carried ones.
        var written = await AkkaEventsAsync(db.DataSource, NotCarried);
        Assert.Equal(PreviousReleaseFleet.Sensors.Where(id => id != "up-retired").Select(SensorActor.PersistenceIdOf).Order(), written.Select(r => r.PersistenceId).Distinct().Order());
        foreach (var stream in written.GroupBy(r => r.PersistenceId))
        {
            var from = legacy.Highest[stream.Key[SensorActor.PersistenceIdPrefix.Length..]] + 1;
            Assert.Equal(Enumerable.Range(0, stream.Count()).Select(i => from + i), stream.Select(r => r.SequenceNr));
        }

        Assert.All(written, r => Assert.True(r.Ordering > lastCarried, $"ordering {r.Ordering} of {r.PersistenceId} after {lastCarried}"));
        // The plugin stamps its rows with DateTime ticks of the real clock: the unit the carried rows were given.
        Assert.All(written, r => Assert.InRange(r.CreatedTicks, akkaStarted.Ticks, DateTime.UtcNow.Ticks));

        // A restart of the Akka release recovers carried and new events alike; its read journal
        // delivers, after the read model's offset, exactly the new events, and from 0 every event.
        await using var restarted = new AkkaSensors(db.ConnectionString, PreviousReleaseFleet.Rules, PreviousReleaseFleet.SnapshotEvery, anHourLater);
        foreach (var id in PreviousReleaseFleet.Sensors)
        {
            AssertSameState(final[id], await restarted.StateAsync(id));
        }

        await using var reads = new AkkaReadJournal(db.ConnectionString);
        var afterOffset = await reads.AllEventsAfterAsync(legacy.ProjectionOffset, written.Count);
        Assert.Equal(written.Select(r => (r.Ordering, r.PersistenceId, r.SequenceNr)), afterOffset.Select(e => (e.Ordering, e.PersistenceId, e.SequenceNr)));
        var all = await reads.AllEventsAfterAsync(0, legacyEvents.Count + written.Count);
        Assert.Equal(legacyEvents.Select(r => r.Ordering).Concat(written.Select(r => r.Ordering)), all.Select(e => e.Ordering));
        Assert.All(all, e => Assert.IsAssignableFrom<SensorEvent>(e.Event));
    }

    [Fact]
    public async Task A_stream_compacted_up_to_its_highest_number_continues_after_it()
    {
        await using var db = await NewDatabaseAsync();
        await new Migrator(db.DataSource, BeforeCarry).MigrateAsync();
        var t0 = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        var events = TwelveEvents(t0);
        // As the old runtime leaves them: events 1-12 written, a snapshot, then every event deleted
        // (its DeleteEventsOnSnapshot). "covered": snapshot at 12. "uncovered": snapshot at 10 only.
        var streams = new Dictionary<string, int> { ["covered"] = 12, ["uncovered"] = 10 };
        var journal = new PreviousReleaseJournal(db.DataSource);
        foreach (var (id, snapshotAt) in streams)
        {
            var persistenceId = SensorActor.PersistenceIdOf(id);
            await journal.WriteAsync(persistenceId, 1, events);
            await journal.SaveSnapshotAsync(persistenceId, snapshotAt, Fold(events.Take(snapshotAt)), t0.AddMinutes(9));
            await journal.DeleteMessagesToAsync(persistenceId, 12);
            Assert.Equal(12L, await journal.ReadHighestSequenceNrAsync(persistenceId));
        }

        Assert.Equal(0L, await ScalarAsync<long>(db.DataSource, "SELECT count(*) FROM journal"));
        Assert.Equal([Carry.Version], await new Migrator(db.DataSource, ThroughCarry).MigrateAsync());

        // Each stream keeps its highest number as the plugin keeps one: a deleted row at 12, ordered after the 24 old orderings.
        var tombstones = await AkkaEventsAsync(db.DataSource, "deleted");
        Assert.Equal(["sensor/covered", "sensor/uncovered"], tombstones.Select(r => r.PersistenceId).Order());
        Assert.All(tombstones, r => Assert.Equal((12L, ""), (r.SequenceNr, r.Manifest)));
        Assert.All(tombstones, r => Assert.True(r.Ordering > 24));

        // Rules under which no deadline passes here: the new events are the heartbeats alone.
        var patient = new LivenessPolicy { DefaultInterval = TimeSpan.FromHours(1) };
        await using var akka = new AkkaSensors(db.ConnectionString, patient, snapshotEvery: 0, t0.AddMinutes(9).AddSeconds(10));
        foreach (var (id, snapshotAt) in streams)
        {
            AssertSameState(Fold(events.Take(snapshotAt)), await akka.StateAsync(id));
            Assert.Equal(IngestOutcome.Accepted, await akka.BeatAsync(id, 11));
            // Written at 13, not at a number the old release had already given out; the actor lives on.
            var next = Assert.Single(await AkkaEventsAsync(db.DataSource, $"persistence_id = 'sensor/{id}' AND {NotCarried}"));
            Assert.Equal((id, 13L, SensorEventManifests.Heartbeat), (id, next.SequenceNr, next.Manifest));
            Assert.Equal(Fold(events.Take(snapshotAt)).HeartbeatCount + 1, (await akka.StateAsync(id)).HeartbeatCount);
        }
    }

    [Fact]
    public async Task After_the_upgrade_a_node_of_the_previous_release_can_read_its_journal_but_not_write_it()
    {
        await using var db = await NewDatabaseAsync();
        await new Migrator(db.DataSource, BeforeCarry).MigrateAsync();
        var t0 = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        var events = TwelveEvents(t0);
        const string PersistenceId = "sensor/straggler";
        var journal = new PreviousReleaseJournal(db.DataSource);
        await journal.WriteAsync(PersistenceId, 1, events[0]);

        await new Migrator(db.DataSource, ThroughCarry).MigrateAsync();

        Assert.Equal(1L, await journal.ReadHighestSequenceNrAsync(PersistenceId));
        var write = await Assert.ThrowsAsync<PostgresException>(() => journal.WriteAsync(PersistenceId, 2, events[1]));
        var snapshot = await Assert.ThrowsAsync<PostgresException>(() => journal.SaveSnapshotAsync(PersistenceId, 1, Fold(events.Take(1)), t0));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => journal.DeleteMessagesToAsync(PersistenceId, 1));
        Assert.All(new[] { write, snapshot, delete }, e => Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, e.SqlState));
        Assert.Equal(1L, await ScalarAsync<long>(db.DataSource, "SELECT count(*) FROM journal"));
        Assert.Single(await AkkaEventsAsync(db.DataSource, "true"));
    }

    [Fact]
    public async Task A_fresh_database_migrates_and_the_first_Akka_event_takes_ordering_1()
    {
        await using var db = await NewDatabaseAsync();

        Assert.Equal(ThroughCarry.Select(m => m.Version), await new Migrator(db.DataSource, ThroughCarry).MigrateAsync());

        Assert.Equal(0L, await ScalarAsync<long>(db.DataSource, "SELECT (SELECT count(*) FROM akka.event_journal) + (SELECT count(*) FROM akka.snapshot_store)"));
        await using (var akka = new AkkaSensors(db.ConnectionString, new LivenessPolicy(), snapshotEvery: 0, DateTimeOffset.UtcNow))
        {
            Assert.Equal(IngestOutcome.Accepted, await akka.BeatAsync("first", 1));
        }

        var first = (await AkkaEventsAsync(db.DataSource, "true"))[0];
        Assert.Equal((1L, "sensor/first", 1L), (first.Ordering, first.PersistenceId, first.SequenceNr));
        var legacyWrite = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(db.DataSource,
            "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ('sensor/old', 1, 'sensor.registered.v1', '\\x7b7d')"));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, legacyWrite.SqlState);
    }

    [Fact]
    public async Task A_database_where_both_journals_hold_events_is_refused_and_left_as_it_was()
    {
        await using var db = await NewDatabaseAsync();
        await new Migrator(db.DataSource, BeforeCarry).MigrateAsync();
        const string Old = "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, 1, 'sensor.registered.v1', '\\x7b7d')";
        await ExecuteAsync(db.DataSource, Old, "sensor/old");
        await ExecuteAsync(db.DataSource, """
            INSERT INTO akka.event_journal (created, deleted, persistence_id, sequence_number, message, manifest, identifier)
            VALUES (0, false, 'sensor/new', 1, '\x7b7d', 'sensor.registered.v1', 7201)
            """);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => new Migrator(db.DataSource, ThroughCarry).MigrateAsync());

        Assert.Equal(PostgresErrorCodes.ObjectNotInPrerequisiteState, refused.SqlState);
        Assert.Equal(BeforeCarry[^1].Version, await Migrator.AppliedVersionAsync(db.DataSource));
        Assert.Equal(["sensor/new"], (await AkkaEventsAsync(db.DataSource, "true")).Select(r => r.PersistenceId));
        await ExecuteAsync(db.DataSource, Old, "sensor/old-still-writable");
    }

    /// <summary>Registered, a first heartbeat (healthy), nine more a minute apart: 12 events, the last beat at t0 + 9 min.</summary>
    private static SensorEvent[] TwelveEvents(DateTimeOffset t0) =>
    [
        new SensorRegistered(t0),
        Beat(t0, 1),
        new StatusChanged(t0, LivenessStatus.Registered, LivenessStatus.Healthy, "first heartbeat"),
        .. Enumerable.Range(2, 9).Select(i => Beat(t0.AddMinutes(i - 1), i)),
    ];

    private static HeartbeatRecorded Beat(DateTimeOffset at, long sequence) =>
        new(at, sequence, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false);

    private static SensorState Fold(IEnumerable<SensorEvent> events) => events.Aggregate(SensorState.Unknown, (state, e) => state.Apply(e));

    /// <summary>The state after the deadlines that pass by <paramref name="now"/>, by the pure rules.</summary>
    private static SensorState After(SensorState state, DateTimeOffset now, LivenessPolicy rules) => SensorLiveness.OnTimer(state, now, rules).Aggregate(state, (s, e) => s.Apply(e));

    /// <summary>The fields an operator sees first (a readable failure), then the whole state as it is stored.</summary>
    private static void AssertSameState(SensorState expected, SensorState actual)
    {
        Assert.Equal(Summary(expected), Summary(actual));
        Assert.Equal(Json(expected), Json(actual));
    }

    private static string Summary(SensorState s) =>
        $"{s.Status} since {s.StatusSince:O}, last {s.LastSeen:O}, {s.HeartbeatCount} beats, {s.LostBeats} lost, " +
        $"interval {s.Settings.Interval}, grace {s.Settings.Grace}, tags [{string.Join(',', s.Settings.Tags)}], retired {s.RetiredAt:O}, watch {s.WatchFrom:O}";

    private static string Json(SensorState state) => JsonSerializer.Serialize(state, SensorEventJsonContext.Default.SensorState);

    private static async Task<TestDatabase> NewDatabaseAsync()
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        return database;
    }

    /// <summary>An <see cref="IsolatedDatabase"/> for one test, dropped by <c>await using</c>.</summary>
    private sealed class TestDatabase : IsolatedDatabase, IAsyncDisposable
    {
        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
