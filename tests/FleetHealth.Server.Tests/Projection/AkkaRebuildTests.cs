using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// <see cref="ReadModelWriter.RebuildAsync(string, IRebuildSource, int, TimeSpan, DateTimeOffset, CancellationToken)"/>
/// from <see cref="AkkaRebuildSource"/>: rows from the sensors' Akka snapshots and the events after
/// them, and an offset from which the live Akka feed goes on without losing or repeating an event.
/// </summary>
public sealed class AkkaRebuildTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    // The mean to 0.1 ms: the projection folds it from rows read back between batches, the snapshot from the actor's doubles.
    private const string SensorRows = """
        SELECT coalesce(string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s', sensor_id, status, status_since, first_seen, last_seen,
                                   heartbeat_count, interval_count, round(interval_mean_seconds::numeric, 4), lost_beats), ';' ORDER BY sensor_id), '')
        FROM sensors WHERE sensor_id LIKE 'rb-%'
        """;

    [Fact]
    public async Task Streams_deleted_behind_their_snapshots_rebuild_to_the_actors_rows_and_the_live_feed_goes_on_from_the_offset_exactly_once()
    {
        var sent = new Dictionary<string, int>(StringComparer.Ordinal) { ["rb-tomb"] = 0, ["rb-part"] = 0 };
        await using (var akka = new AkkaFeedSystem(db.ConnectionString, name: "actors-1"))
        {
            // rb-tomb snapshots after every event (its last snapshot covers its highest number);
            // rb-part every five (events follow its last snapshot).
            await BeatAsync(akka, "rb-tomb", snapshotEvery: 1, from: 0, count: 10, sent);
            await BeatAsync(akka, "rb-part", snapshotEvery: 5, from: 0, count: 10, sent);
            await Eventually.Until(() => ScalarAsync("""
                SELECT count(*) FROM akka.snapshot_store s
                WHERE s.persistence_id = 'sensor/rb-tomb' AND s.sequence_number = (SELECT max(sequence_number) FROM akka.event_journal WHERE persistence_id = 'sensor/rb-tomb')
                """), n => n == 1, TimeSpan.FromSeconds(20), "rb-tomb's last snapshot covers its last event");
        }

        await using (var akka = new AkkaFeedSystem(db.ConnectionString, name: "projector-1"))
        await using (var live = await StartAsync(akka))
        {
            await live.ReachedAsync(await JournalHeadAsync(), "the live projection applies every event");
        }

        var projected = await ScalarAsync<string>(SensorRows);
        Assert.Contains("rb-tomb", projected, StringComparison.Ordinal);

        // What the plugin's DeleteMessagesTo(snapshot) leaves: the rows behind the snapshot gone, the
        // one at it kept as a tombstone (for rb-tomb the stream's highest number, as migration 0017 writes).
        await ExecuteAsync("""
            DELETE FROM akka.event_journal j USING (SELECT persistence_id, max(sequence_number) AS at FROM akka.snapshot_store GROUP BY persistence_id) s
            WHERE j.persistence_id = s.persistence_id AND j.sequence_number < s.at;
            UPDATE akka.event_journal j SET deleted = true, message = '\x', manifest = ''
            FROM (SELECT persistence_id, max(sequence_number) AS at FROM akka.snapshot_store GROUP BY persistence_id) s
            WHERE j.persistence_id = s.persistence_id AND j.sequence_number = s.at;
            """);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM akka.event_journal WHERE persistence_id = 'sensor/rb-tomb' AND NOT deleted"));
        Assert.True(await ScalarAsync("SELECT count(*) FROM akka.event_journal WHERE persistence_id = 'sensor/rb-part' AND NOT deleted") > 0, "rb-part has events after its snapshot");
        await ExecuteAsync("UPDATE sensors SET heartbeat_count = 0, status = 'dead'"); // damage the read model

        var head = await JournalHeadAsync();
        var offset = await RebuildAsync();

        Assert.Equal(head, offset);
        Assert.Equal(offset, await ScalarAsync("SELECT \"offset\" FROM projection_offsets WHERE projection = 'read-model'"));
        Assert.Equal(projected, await ScalarAsync<string>(SensorRows));

        await using (var akka = new AkkaFeedSystem(db.ConnectionString, name: "actors-2"))
        {
            await BeatAsync(akka, "rb-tomb", snapshotEvery: 1, from: 10, count: 3, sent);
            await BeatAsync(akka, "rb-part", snapshotEvery: 5, from: 10, count: 3, sent);
        }

        await using (var akka = new AkkaFeedSystem(db.ConnectionString, name: "projector-2"))
        await using (var live = await StartAsync(akka))
        {
            await live.ReachedAsync(await JournalHeadAsync(), "the live projection goes on from the rebuild's offset");
        }

        Assert.Equal(13L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rb-tomb'"));
        Assert.Equal(13L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rb-part'"));
        // Heartbeat rows: one for each beat still in the journal, none twice.
        Assert.Equal(
            await ScalarAsync("SELECT count(*) FROM akka.event_journal WHERE persistence_id LIKE 'sensor/rb-%' AND NOT deleted AND manifest = 'sensor.heartbeat.v1'"),
            await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'rb-%'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) - count(DISTINCT (sensor_id, sequence)) FROM heartbeats WHERE sensor_id LIKE 'rb-%'"));
        Assert.Equal(13, sent["rb-tomb"]);
    }

    [Fact]
    public async Task A_write_still_committing_below_the_journals_head_is_waited_for_and_rebuilt_not_left_behind_the_offset()
    {
        await using var inFlight = await db.DataSource.OpenConnectionAsync();
        await using var inFlightTx = await inFlight.BeginTransactionAsync();
        await InsertBeatAsync(inFlight, inFlightTx, "wait-slow");
        var slowOrdering = await ScalarAsync("SELECT max(ordering) FROM akka.event_journal", inFlight, inFlightTx);
        await using (var fast = await db.DataSource.OpenConnectionAsync())
        {
            await InsertBeatAsync(fast, null, "wait-fast");
        }

        var head = await JournalHeadAsync();
        Assert.True(head > slowOrdering, "the committed write is above the one in flight");

        var rebuild = RebuildAsync();
        await Eventually.Until(
            () => ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_xact_status(x::text::xid8)%' AND pid <> pg_backend_pid()"),
            n => n > 0, TimeSpan.FromSeconds(20), "the rebuild waits for the write in flight");
        Assert.False(rebuild.IsCompleted, "the rebuild waited");

        await inFlightTx.CommitAsync();
        var offset = await rebuild;

        Assert.Equal(head, offset);
        Assert.Equal(1L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'wait-slow'"));
        Assert.Equal(1L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'wait-fast'"));
    }

    [Fact]
    public async Task The_command_line_rebuild_on_the_Akka_engine_reads_the_Akka_journal_without_starting_an_actor_system()
    {
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await InsertBeatAsync(connection, null, "cmd-1");
        }

        await ExecuteAsync("DELETE FROM sensors WHERE sensor_id = 'cmd-1'");
        var head = await JournalHeadAsync();

        var (code, output) = await RunServerCommandAsync("rebuild-read-model");

        Assert.True(code == 0, output);
        Assert.Contains($"up to ordering {head}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Akka.Actor", output, StringComparison.Ordinal); // no node started (remoting, cluster) for a command
        Assert.Equal(1L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'cmd-1'"));
    }

    private static async Task BeatAsync(AkkaFeedSystem akka, string sensorId, int snapshotEvery, int from, int count, Dictionary<string, int> sent)
    {
        var sensor = akka.System.ActorOf(SensorActor.Props(sensorId, FleetPolicy.Fixed(new LivenessPolicy()), autoRegister: true, snapshotEvery, TimeProvider.System));
        var id = SensorId.TryParse(sensorId, out var parsed, out _) ? parsed : throw new InvalidOperationException(sensorId);
        for (var i = from; i < from + count; i++)
        {
            var outcome = await sensor.Ask<IngestOutcome>(new SubmitHeartbeat(new Heartbeat(id, DateTimeOffset.UtcNow, Sequence: i)), TimeSpan.FromSeconds(30));
            Assert.Equal(IngestOutcome.Accepted, outcome);
            sent[sensorId]++;
        }
    }

    private async Task InsertBeatAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sensorId)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO akka.event_journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
            VALUES ($1, false, $2, 1, $3, '', $4, $5, 'test')
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTime.UtcNow.Ticks });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "sensor/" + sensorId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = JsonSerializer.SerializeToUtf8Bytes(AkkaJournalFeedTests.Beat(1), SensorEventJsonContext.Default.HeartbeatRecorded) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorEventManifests.Heartbeat });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = SensorEventSerializer.Id });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<(int Code, string Output)> RunServerCommandAsync(string verb, params (string Name, string Value)[] environment)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var bin = RepoPaths.Combine("backend", "FleetHealth.Server", "bin", testBin.Parent!.Name, testBin.Name);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "FleetHealth.Server.dll"), verb, "--contentRoot", bin])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Database__ConnectionString"] = db.ConnectionString;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private Task<long> RebuildAsync() =>
        new ReadModelWriter(db.DataSource).RebuildAsync("read-model", new AkkaRebuildSource(), 4, TimeSpan.FromMinutes(1), DateTimeOffset.MinValue, CancellationToken.None);

    private Task<ProjectionRun> StartAsync(AkkaFeedSystem akka) =>
        ProjectionRun.StartAsync(
            db.DataSource,
            (_, options) => new AkkaJournalFeed(akka.System, options, TimeProvider.System),
            new ProjectionOptions { BatchSize = 7 });

    private Task<long> JournalHeadAsync() => ScalarAsync("SELECT coalesce(max(ordering), 0) FROM akka.event_journal");

    private async Task ExecuteAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private Task<long> ScalarAsync(string sql) => ScalarAsync<long>(sql);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> ScalarAsync(string sql, NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
