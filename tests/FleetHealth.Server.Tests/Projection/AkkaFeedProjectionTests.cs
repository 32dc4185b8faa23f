using Akka.Actor;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Npgsql;
using static FleetHealth.Server.Tests.Projection.AkkaJournalFeedTests;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// <see cref="ReadModelProjection"/> fed by <see cref="AkkaJournalFeed"/>: the events of Akka
/// persistent actors in the Sql journal become read-model rows exactly once, across restarts of the
/// projection, of its actor system and of its read journal's stream. The class's tests share one
/// database and its projection offset; each looks only at its own sensors.
/// </summary>
public sealed class AkkaFeedProjectionTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Every_event_is_applied_exactly_once_across_a_restart_of_the_projection_and_its_actor_system()
    {
        await using (var writers = new AkkaFeedSystem(db.ConnectionString, name: "writers-1"))
        {
            for (var i = 0; i < 200; i++)
            {
                await writers.WriteAsync($"once-{i % 10}", Beat(i));
            }
        }

        await using (var akka = new AkkaFeedSystem(db.ConnectionString))
        await using (var first = await StartAsync(akka))
        {
            await first.ReachedAsync(await JournalHeadAsync(), "the first run catches up");
        }

        await using (var writers = new AkkaFeedSystem(db.ConnectionString, name: "writers-2"))
        {
            for (var i = 200; i < 300; i++)
            {
                await writers.WriteAsync($"once-{i % 10}", Beat(i));
            }
        }

        await using (var akka = new AkkaFeedSystem(db.ConnectionString))
        await using (var second = await StartAsync(akka))
        {
            await second.ReachedAsync(await JournalHeadAsync(), "the second run catches up from the stored offset");
        }

        Assert.Equal(300L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'once-%'"));
        Assert.Equal(300L, await ScalarAsync("SELECT sum(heartbeat_count)::bigint FROM sensors WHERE sensor_id LIKE 'once-%'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) - count(DISTINCT (sensor_id, sequence)) FROM heartbeats WHERE sensor_id LIKE 'once-%'"));
    }

    [Fact]
    public async Task After_the_read_journal_loses_the_database_the_stream_starts_again_from_the_stored_offset()
    {
        // The projection's feed reaches PostgreSQL through a proxy; its writes and the actors' do not.
        await using var proxy = TcpProxy.To("127.0.0.1", new NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        var proxied = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        await using var writers = new AkkaFeedSystem(db.ConnectionString, name: "writers");
        await using var akka = new AkkaFeedSystem(proxied);
        await using var running = await StartAsync(akka);
        for (var i = 0; i < 100; i++)
        {
            await writers.WriteAsync($"cut-{i % 5}", Beat(i));
        }

        await running.ReachedAsync(await JournalHeadAsync(), "the projection catches up before the cut");

        proxy.Refuse();
        for (var i = 100; i < 200; i++)
        {
            await writers.WriteAsync($"cut-{i % 5}", Beat(i));
        }

        await Eventually.Until(() => Task.FromResult(running.Status), s => s.LastError is not null, TimeSpan.FromSeconds(20), "the feed's failure shows in the status");
        proxy.Heal();

        var status = await running.ReachedAsync(await JournalHeadAsync(), "the projection catches up after the cut", TimeSpan.FromSeconds(60));
        Assert.Null(status.LastError);
        Assert.Equal(200L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'cut-%'"));
        Assert.Equal(200L, await ScalarAsync("SELECT sum(heartbeat_count)::bigint FROM sensors WHERE sensor_id LIKE 'cut-%'"));
    }

    [Fact]
    public async Task A_hole_in_the_Akka_journal_is_left_to_the_read_journal_and_the_events_after_it_are_applied()
    {
        var options = new AkkaJournalOptions { QueryGapTimeout = TimeSpan.FromMilliseconds(300) };
        await using var akka = new AkkaFeedSystem(db.ConnectionString, options);
        await using var running = await StartAsync(akka);
        await akka.WriteAsync("hole-0", Beat(0));
        await running.ReachedAsync(await JournalHeadAsync(), "the projection leads and is caught up");

        // A rolled-back write: its ordering is taken and never commits.
        await using (var failed = await db.DataSource.OpenConnectionAsync())
        await using (var failedTx = await failed.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO akka.event_journal (created, deleted, persistence_id, sequence_number, message) VALUES (0, false, 'sensor/hole-lost', 1, '\\x00')", failed, failedTx);
            await insert.ExecuteNonQueryAsync();
            await failedTx.RollbackAsync();
        }

        await akka.WriteAsync("hole-1", Beat(1));

        var status = await running.ReachedAsync(await JournalHeadAsync(), "the read journal gives the hole up and delivers what follows");
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'hole-1'"));
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task The_status_shows_lag_while_the_projection_works_through_a_backlog_and_none_once_caught_up_and_quiet()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        await using (var backlog = await StartAsync(akka))
        {
            await backlog.ReachedAsync(await JournalHeadAsync(), "the earlier tests' events are applied first");
        }

        // 2,000 events in batches of five: enough batches that the status is seen behind even on an
        // idle machine (400 went by between two samples once).
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async s =>
        {
            for (var i = 0; i < 100; i++)
            {
                await akka.WriteAsync($"backlog-{s}", Beat(i));
            }
        }));
        var last = await JournalHeadAsync();

        // Five events a batch: the projection takes many batches, and reports after each.
        await using var running = await StartAsync(akka, batchSize: 5);
        var behind = new List<ProjectionStatus>();
        await Eventually.Until(
            () =>
            {
                var status = running.Status;
                if (status.Leader && status.Offset > 0 && status.Offset < last)
                {
                    behind.Add(status);
                }

                return Task.FromResult(status.Offset);
            },
            offset => offset >= last,
            TimeSpan.FromSeconds(30),
            "the projection works through the backlog");

        Assert.NotEmpty(behind);
        Assert.All(behind, s => Assert.True(s.OldestUnappliedAgeMs > 0, $"behind at {s.Offset} of {last}, the status said {s.OldestUnappliedAgeMs} ms"));
        Assert.Contains(behind, s => s.LagEvents > 0);
        await Eventually.Until(() => Task.FromResult(running.Status), s => s.OldestUnappliedAgeMs == 0 && s.LagEvents == 0 && s.Offset >= last, TimeSpan.FromSeconds(10), "no lag once quiet");
    }

    [Fact]
    public async Task Heartbeats_accepted_by_the_fleets_sensor_actor_reach_the_read_model()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        var sensor = akka.System.ActorOf(SensorActor.Props("actor-1", FleetPolicy.Fixed(new LivenessPolicy()), autoRegister: true, snapshotEvery: 0, TimeProvider.System));
        var id = SensorId.TryParse("actor-1", out var parsed, out _) ? parsed : throw new InvalidOperationException();
        for (var i = 0; i < 5; i++)
        {
            var outcome = await sensor.Ask<IngestOutcome>(new SubmitHeartbeat(new Heartbeat(id, DateTimeOffset.UtcNow, Sequence: i)), TimeSpan.FromSeconds(30));
            Assert.Equal(IngestOutcome.Accepted, outcome);
        }

        await using var running = await StartAsync(akka);
        await running.ReachedAsync(await JournalHeadAsync(), "the projection catches up");

        Assert.Equal(5L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'actor-1'"));
        Assert.Equal("healthy", await ScalarAsync<string>("SELECT status FROM sensors WHERE sensor_id = 'actor-1'"));
        Assert.Equal(5L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'actor-1'"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM state_changes WHERE sensor_id = 'actor-1' AND to_status = 'healthy'"));
    }

    [Fact]
    public async Task Rows_rewritten_by_a_rebuild_while_the_projection_runs_are_built_on_not_overwritten_from_memory()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        for (var i = 0; i < 10; i++)
        {
            await akka.WriteAsync("rewritten-1", Beat(i));
        }

        await using var running = await StartAsync(akka);
        await running.ReachedAsync(await JournalHeadAsync(), "the projection catches up");
        Assert.Equal(10L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rewritten-1'"));

        // What a rebuild by a newer version does: other rows, and the offset row written with them.
        await using (var rebuild = db.DataSource.CreateCommand("""
            UPDATE sensors SET heartbeat_count = 1000 WHERE sensor_id = 'rewritten-1';
            UPDATE projection_offsets SET updated_at = now() WHERE projection = 'read-model';
            """))
        {
            await rebuild.ExecuteNonQueryAsync();
        }

        await akka.WriteAsync("rewritten-1", Beat(10));
        await running.ReachedAsync(await JournalHeadAsync(), "the projection applies the next beat");
        Assert.Equal(1001L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rewritten-1'"));
    }

    private Task<ProjectionRun> StartAsync(AkkaFeedSystem akka, int batchSize = 5000) =>
        ProjectionRun.StartAsync(
            db.DataSource,
            (_, options) => new AkkaJournalFeed(akka.System, options, TimeProvider.System),
            new ProjectionOptions { BatchSize = batchSize });

    /// <summary>The journal's newest ordering (the test looks; the feed never does).</summary>
    private Task<long> JournalHeadAsync() => ScalarAsync("SELECT coalesce(max(ordering), 0) FROM akka.event_journal");

    private Task<long> ScalarAsync(string sql) => ScalarAsync<long>(sql);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
