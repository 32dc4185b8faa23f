using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>The projection service against real journal rows in PostgreSQL.</summary>
public sealed class ReadModelProjectionTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private static readonly EventSerializer Serializer = SensorEventSerialization.Register(new EventSerializer());
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private long _sequence;

    [Fact]
    public async Task Every_event_is_applied_exactly_once_across_a_restart_of_the_projection()
    {
        for (var i = 0; i < 200; i++)
        {
            await AppendAsync(Beat($"once-{i % 10}", i));
        }

        await using (var first = await StartAsync())
        {
            await WaitCaughtUpAsync(first.Projection);
        }

        for (var i = 200; i < 300; i++)
        {
            await AppendAsync(Beat($"once-{i % 10}", i));
        }

        await using (var second = await StartAsync())
        {
            await WaitCaughtUpAsync(second.Projection);
        }

        Assert.Equal(300L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'once-%'"));
        Assert.Equal(300L, await ScalarAsync("SELECT sum(heartbeat_count)::bigint FROM sensors WHERE sensor_id LIKE 'once-%'"));
    }

    [Fact]
    public async Task A_hole_left_by_a_slower_transaction_is_waited_for_then_filled_in_order()
    {
        await using var slow = await db.DataSource.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        var held = await InsertAsync(slow, slowTx, Beat("hole-1", 0));
        var after = await AppendAsync(Beat("hole-2", 1));
        await using var running = await StartAsync();

        await Eventually.Until(() => Task.FromResult(running.Projection.Status), s => s.Newest >= after && s.Offset == held - 1, TimeSpan.FromSeconds(10), "the projection stops before the hole");
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'hole-2'"));

        await slowTx.CommitAsync();

        await Eventually.Until(() => Task.FromResult(running.Projection.Status.Offset), o => o >= after, TimeSpan.FromSeconds(10), "the hole is filled and passed");
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id IN ('hole-1', 'hole-2')"));
        Assert.Equal(0, running.Projection.Status.SkippedGaps);
    }

    [Fact]
    public async Task A_hole_left_by_a_rolled_back_write_is_passed_over_after_the_gap_timeout()
    {
        await using (var failed = await db.DataSource.OpenConnectionAsync())
        await using (var failedTx = await failed.BeginTransactionAsync())
        {
            await InsertAsync(failed, failedTx, Beat("rolled-1", 0));
            await failedTx.RollbackAsync();
        }

        var after = await AppendAsync(Beat("rolled-2", 1));
        await using var running = await StartAsync(gapTimeoutMs: 300);

        var status = await Eventually.Until(() => Task.FromResult(running.Projection.Status), s => s.Offset >= after, TimeSpan.FromSeconds(10), "the projection passes the hole");

        Assert.True(status.SkippedGaps >= 1);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'rolled-2'"));
    }

    [Fact]
    public async Task A_write_that_commits_after_its_hole_was_passed_over_is_still_applied()
    {
        await using var slow = await db.DataSource.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        var held = await InsertAsync(slow, slowTx, Beat("late-1", 0));
        var after = await AppendAsync(Beat("late-2", 1));
        await using var running = await StartAsync(gapTimeoutMs: 200);
        await Eventually.Until(() => Task.FromResult(running.Projection.Status), s => s.Offset >= after && s.OpenGaps >= 1, TimeSpan.FromSeconds(10), "the projection passes the hole and watches it");
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM projection_gaps WHERE ordering = {held}"));

        await slowTx.CommitAsync();

        await Eventually.Until(() => ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'late-1'"), n => n == 1, TimeSpan.FromSeconds(10), "the late event is applied");
        // The status counts the late event once its transaction has committed, a moment after the row is visible.
        var status = await Eventually.Until(() => Task.FromResult(running.Projection.Status), s => s.LateEvents >= 1, TimeSpan.FromSeconds(10), "the status to count the late event");
        Assert.Equal(1L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'late-1'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM projection_gaps WHERE ordering = {held}"));
        Assert.True(status.Offset >= after);
    }

    [Fact]
    public async Task A_passed_over_hole_is_remembered_across_a_restart_and_applied_once()
    {
        await using var slow = await db.DataSource.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        await InsertAsync(slow, slowTx, Beat("restart-late-1", 0));
        var after = await AppendAsync(Beat("restart-late-2", 1));
        await using (var first = await StartAsync(gapTimeoutMs: 200))
        {
            await Eventually.Until(() => Task.FromResult(first.Projection.Status), s => s.Offset >= after && s.OpenGaps >= 1, TimeSpan.FromSeconds(10), "the first run passes the hole");
        }

        await slowTx.CommitAsync();
        await using var second = await StartAsync(gapTimeoutMs: 200);

        await Eventually.Until(() => ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'restart-late-1'"), n => n == 1, TimeSpan.FromSeconds(10), "the restarted projection applies the late event");
        await Eventually.Until(() => Task.FromResult(second.Projection.Status), s => s.LateEvents >= 1, TimeSpan.FromSeconds(5), "the status counts it");
        Assert.Equal(1L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'restart-late-1'"));
    }

    [Fact]
    public async Task A_hole_older_than_the_retention_counts_as_rolled_back_and_is_forgotten()
    {
        long rolledBack;
        await using (var failed = await db.DataSource.OpenConnectionAsync())
        await using (var failedTx = await failed.BeginTransactionAsync())
        {
            rolledBack = await InsertAsync(failed, failedTx, Beat("expired-1", 0));
            await failedTx.RollbackAsync();
        }

        var after = await AppendAsync(Beat("expired-2", 1));
        await using var running = await StartAsync(gapTimeoutMs: 200, gapRetentionSeconds: 1);

        await Eventually.Until(() => Task.FromResult(running.Projection.Status), s => s.Offset >= after, TimeSpan.FromSeconds(10), "the hole is passed over");
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM projection_gaps WHERE ordering = {rolledBack}"));
        await Eventually.Until(() => ScalarAsync($"SELECT count(*) FROM projection_gaps WHERE ordering = {rolledBack}"), n => n == 0, TimeSpan.FromSeconds(10), "the expired hole is forgotten");
    }

    [Fact]
    public async Task Rows_rewritten_by_a_rebuild_while_the_projection_runs_are_built_on_not_overwritten_from_memory()
    {
        for (var i = 0; i < 10; i++)
        {
            await AppendAsync(Beat("rewritten-1", i));
        }

        await using var running = await StartAsync();
        await WaitCaughtUpAsync(running.Projection);
        Assert.Equal(10L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rewritten-1'"));

        // What a rebuild by a newer version does: other rows, and the offset row written with them.
        await using (var rebuild = db.DataSource.CreateCommand("""
            UPDATE sensors SET heartbeat_count = 1000 WHERE sensor_id = 'rewritten-1';
            UPDATE projection_offsets SET updated_at = now() WHERE projection = 'read-model';
            """))
        {
            await rebuild.ExecuteNonQueryAsync();
        }

        var next = await AppendAsync(Beat("rewritten-1", 10));

        await Eventually.Until(() => Task.FromResult(running.Projection.Status), s => s.Offset >= next, TimeSpan.FromSeconds(15), "the projection applies the next beat");
        Assert.Equal(1001L, await ScalarAsync("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rewritten-1'"));
    }

    [Fact]
    public async Task The_status_shows_the_lag_while_the_projection_works_through_a_backlog_not_only_once_caught_up()
    {
        long last = 0;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            for (var i = 0; i < 400; i++)
            {
                last = await InsertAsync(connection, transaction, Beat($"backlog-{i % 20}", i));
            }

            await transaction.CommitAsync();
        }

        // One event per batch: every batch is full, so the projection never pauses on the way.
        await using var running = await StartAsync(batchSize: 1);
        long mostBehind = 0;
        await Eventually.Until(
            () =>
            {
                var status = running.Projection.Status;
                if (status.Offset < last)
                {
                    mostBehind = Math.Max(mostBehind, status.LagEvents);
                }

                return Task.FromResult(status.Offset);
            },
            offset => offset >= last,
            TimeSpan.FromSeconds(30),
            "the projection works through the backlog");

        Assert.True(mostBehind >= 100, $"while 400 events were behind, the status showed at most {mostBehind} events of lag");
    }

    private static (string Sensor, SensorEvent Event) Beat(string sensor, int i) =>
        (sensor, new HeartbeatRecorded(T0.AddSeconds(i), i, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false));

    private async Task<long> AppendAsync((string Sensor, SensorEvent Event) entry)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ordering = await InsertAsync(connection, transaction, entry);
        await transaction.CommitAsync();
        return ordering;
    }

    /// <summary>Writes a journal row as the journal writer would (the sensor's stream, a fresh sequence number).</summary>
    private async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, (string Sensor, SensorEvent Event) entry)
    {
        var payload = Serializer.Serialize(entry.Event, out var manifest);
        await using var command = new NpgsqlCommand(
            "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, $2, $3, $4) RETURNING ordering", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorFleet.IdPrefix + entry.Sensor });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Interlocked.Increment(ref _sequence) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = manifest });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<RunningProjection> StartAsync(int gapTimeoutMs = 10_000, int gapRetentionSeconds = 3600, int batchSize = 5000)
    {
        var readiness = new DatabaseReadiness();
        readiness.MarkMigrated();
        var settings = Microsoft.Extensions.Options.Options.Create(new ProjectionOptions { BatchSize = batchSize, IdlePollMilliseconds = 10, GapTimeoutMilliseconds = gapTimeoutMs, GapRecheckMilliseconds = 50, GapRetentionSeconds = gapRetentionSeconds });
        var writer = new ReadModelWriter(db.DataSource);
        var projection = new ReadModelProjection(
            new PolledJournalFeed(new JournalReader(db.DataSource, Serializer), writer, settings, TimeProvider.System),
            writer,
            db.DataSource,
            readiness,
            new HeartbeatRetention(Microsoft.Extensions.Options.Options.Create(new ReadModelOptions { HeartbeatRetentionDays = 3650 }), TimeProvider.System),
            settings,
            TimeProvider.System,
            new StorageOutageLog(NullLogger.Instance, TimeProvider.System),
            NullLogger<ReadModelProjection>.Instance);
        await projection.StartAsync(CancellationToken.None);
        return new RunningProjection(projection);
    }

    private static Task WaitCaughtUpAsync(ReadModelProjection projection) =>
        Eventually.Until(() => Task.FromResult(projection.Status), s => s.Leader && s.Newest > 0 && s.LagEvents == 0, TimeSpan.FromSeconds(15), "the projection catches up");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class RunningProjection(ReadModelProjection projection) : IAsyncDisposable
    {
        public ReadModelProjection Projection => projection;

        public async ValueTask DisposeAsync()
        {
            await projection.StopAsync(CancellationToken.None);
            projection.Dispose();
        }
    }
}
