using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Domain.Tests.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Sensors;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Projection;

public sealed class ReadModelWriterTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Events_become_rows_heartbeats_and_transitions_with_the_offset_in_the_same_transaction()
    {
        var writer = new ReadModelWriter(db.DataSource);
        var t = new SensorTimeline();
        t.Beat(sequence: 1);
        t.Advance(TimeSpan.FromSeconds(50));
        t.Beat(sequence: 2);
        t.Advance(TimeSpan.FromSeconds(70));
        t.Beat(sequence: 5);
        t.Advance(TimeSpan.FromMinutes(15));
        var batch = t.Events.Select((e, i) => new ProjectedEvent(i + 1, "rmw-1", e)).ToList();

        await writer.ApplyAsync("test-a", 0, batch.Count, batch, CancellationToken.None);

        var sensor = await new SensorQueries(db.DataSource, FleetPolicy.Fixed(new LivenessPolicy())).FindAsync(Id("rmw-1"), CancellationToken.None);
        Assert.NotNull(sensor);
        Assert.Equal(("stale", 3L, 2L), (sensor.Status, sensor.HeartbeatCount, sensor.LostBeats));
        Assert.Equal(t.State.StatusSince, sensor.StatusSince);
        Assert.Equal(60, sensor.MeanIntervalSeconds, 6);
        Assert.Equal(t.State.Intervals.StdDevSeconds, sensor.IntervalStdDevSeconds, 6);
        Assert.Equal(batch.Count, await writer.OffsetAsync("test-a", CancellationToken.None));
        Assert.Equal([null, 50.0, 70.0], await ColumnAsync<double?>("SELECT interval_seconds FROM heartbeats WHERE sensor_id = 'rmw-1' ORDER BY received_at"));
        Assert.Equal(["healthy", "late", "stale"], await ColumnAsync<string>("SELECT to_status FROM state_changes WHERE sensor_id = 'rmw-1' ORDER BY at, id"));
    }

    [Fact]
    public async Task Later_batches_continue_the_running_statistics_from_the_stored_row()
    {
        var writer = new ReadModelWriter(db.DataSource);
        var t = new SensorTimeline();
        var applied = 0;
        for (var round = 0; round < 4; round++)
        {
            t.Beat();
            t.Advance(TimeSpan.FromSeconds(30 + (round * 10)));
            var batch = t.Events.Skip(applied).Select((e, i) => new ProjectedEvent(applied + i + 1, "rmw-2", e)).ToList();
            await writer.ApplyAsync("test-b", applied, applied + batch.Count, batch, CancellationToken.None);
            applied += batch.Count;
        }

        var sensor = await new SensorQueries(db.DataSource, FleetPolicy.Fixed(new LivenessPolicy())).FindAsync(Id("rmw-2"), CancellationToken.None);
        Assert.Equal(t.State.HeartbeatCount, sensor!.HeartbeatCount);
        Assert.Equal(t.State.Intervals.MeanSeconds, sensor.MeanIntervalSeconds, 6);
        Assert.Equal(t.State.Intervals.StdDevSeconds, sensor.IntervalStdDevSeconds, 6);
    }

    [Fact]
    public async Task A_writer_with_a_stale_offset_changes_nothing()
    {
        var writer = new ReadModelWriter(db.DataSource);
        var t = new SensorTimeline();
        t.Beat();
        var batch = t.Events.Select((e, i) => new ProjectedEvent(i + 1, "rmw-3", e)).ToList();
        await writer.ApplyAsync("test-c", 0, 10, [], CancellationToken.None);

        await Assert.ThrowsAsync<ProjectionOffsetMovedException>(() => writer.ApplyAsync("test-c", 0, 12, batch, CancellationToken.None));

        Assert.Null(await new SensorQueries(db.DataSource, FleetPolicy.Fixed(new LivenessPolicy())).FindAsync(Id("rmw-3"), CancellationToken.None));
        Assert.Equal(10, await writer.OffsetAsync("test-c", CancellationToken.None));
    }

    [Fact]
    public async Task Batches_folded_onto_remembered_rows_give_the_same_row_as_rows_read_back()
    {
        var writer = new ReadModelWriter(db.DataSource);
        var cache = new SensorRowCache(1000);
        var t = new SensorTimeline();
        var applied = 0;
        for (var round = 0; round < 4; round++)
        {
            t.Beat(sequence: (round * 2) + 1);
            t.Advance(TimeSpan.FromSeconds(30 + (round * 10)));
            var events = t.Events.Skip(applied).ToList();
            var batch = events.Select((e, i) => new ProjectedEvent(applied + i + 1, "rmw-5", e)).ToList();
            var twin = events.Select((e, i) => new ProjectedEvent(applied + i + 1, "rmw-6", e)).ToList();
            await writer.ApplyAsync("test-e", applied, applied + batch.Count, batch, CancellationToken.None, cache: cache);
            await writer.ApplyAsync("test-f", applied, applied + twin.Count, twin, CancellationToken.None);
            applied += batch.Count;
        }

        Assert.True(cache.TryGet("rmw-5", out _));
        Assert.Equal(
            await ColumnAsync<string>("SELECT row(s.*)::text FROM (SELECT status, status_since, first_seen, last_seen, heartbeat_count, interval_count, interval_mean_seconds, interval_m2, lost_beats FROM sensors WHERE sensor_id = 'rmw-6') s"),
            await ColumnAsync<string>("SELECT row(s.*)::text FROM (SELECT status, status_since, first_seen, last_seen, heartbeat_count, interval_count, interval_mean_seconds, interval_m2, lost_beats FROM sensors WHERE sensor_id = 'rmw-5') s"));
        Assert.Equal(3L, await ScalarAsync<long>("SELECT lost_beats FROM sensors WHERE sensor_id = 'rmw-5'"));
    }

    [Fact]
    public async Task A_writer_that_remembers_rows_refuses_to_go_on_once_anyone_else_wrote_its_offset_even_to_the_same_value()
    {
        var writer = new ReadModelWriter(db.DataSource);
        var cache = new SensorRowCache(1000);
        var t = new SensorTimeline();
        t.Beat(sequence: 1);
        var first = t.Events.Select((e, i) => new ProjectedEvent(i + 1, "rmw-7", e)).ToList();
        await writer.ApplyAsync("test-g", 0, first.Count, first, CancellationToken.None, cache: cache);
        // What a rebuild does at its end: the same offset, written by someone else.
        await using (var rebuild = db.DataSource.CreateCommand("UPDATE projection_offsets SET \"offset\" = \"offset\", updated_at = now() WHERE projection = 'test-g'"))
        {
            await rebuild.ExecuteNonQueryAsync();
        }

        t.Beat(sequence: 2);
        var second = t.Events.Skip(first.Count).Select((e, i) => new ProjectedEvent(first.Count + i + 1, "rmw-7", e)).ToList();

        await Assert.ThrowsAsync<ProjectionOffsetMovedException>(() => writer.ApplyAsync("test-g", first.Count, first.Count + second.Count, second, CancellationToken.None, cache: cache));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rmw-7'"));
        await writer.ApplyAsync("test-g", first.Count, first.Count + second.Count, second, CancellationToken.None, cache: new SensorRowCache(1000));
        Assert.Equal(2L, await ScalarAsync<long>("SELECT heartbeat_count FROM sensors WHERE sensor_id = 'rmw-7'"));
    }

    [Fact]
    public async Task Settings_and_retirement_reach_the_row()
    {
        var writer = new ReadModelWriter(db.DataSource);
        var t = new SensorTimeline();
        t.Beat();
        t.Settings(new SensorSettings(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), ["site:b", "bay"]));
        t.Retire();
        var batch = t.Events.Select((e, i) => new ProjectedEvent(i + 1, "rmw-4", e)).ToList();

        await writer.ApplyAsync("test-d", 0, batch.Count, batch, CancellationToken.None);

        var sensor = await new SensorQueries(db.DataSource, FleetPolicy.Fixed(new LivenessPolicy())).FindAsync(Id("rmw-4"), CancellationToken.None);
        Assert.Equal(("retired", 20.0, 5.0), (sensor!.Status, sensor.IntervalSeconds, sensor.GraceSeconds));
        Assert.Equal(["bay", "site:b"], sensor.Tags);
        Assert.Equal(t.Now, sensor.RetiredAt);
    }

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<T>> ColumnAsync<T>(string sql)
    {
        var values = new List<T>();
        await using var command = db.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? default! : reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
