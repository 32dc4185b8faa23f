using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Coordination.Tests;

/// <summary>
/// Which statements the journal fence (migration 0016) lets into <c>akka.event_journal</c>: a
/// fenced session's statement is stored only if its writer holds, unexpired, the lease of every
/// row's shard; otherwise it fails with SQLSTATE ZF001 and stores nothing.
/// </summary>
public sealed class JournalFenceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private const string Writer = "node-a-1111";
    private FenceDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = new FenceDatabase(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_batch_whose_sensors_are_all_on_shards_the_writer_holds_is_stored()
    {
        var fence = FenceDatabase.Fence("held", Writer);
        await _db.LeaseAsync(fence, 0, "a:1", Writer, 60);
        await _db.LeaseAsync(fence, 1, "a:1", Writer, 60);
        string[] sensors = [.. await _db.SensorsOnAsync(0, 3, "held-"), .. await _db.SensorsOnAsync(1, 3, "held-")];

        await _db.InsertAsync(_db.Sessions(fence), sensors);

        Assert.Equal(6, await _db.RowsAsync(sensors));
    }

    [Theory]
    [InlineData("never-leased")]
    [InlineData("released")]
    [InlineData("expired")]
    [InlineData("another-node")]
    [InlineData("same-address-other-incarnation")]
    public async Task A_batch_with_one_sensor_on_a_shard_the_writer_does_not_hold_fails_with_ZF001_and_stores_nothing(string how)
    {
        var fence = FenceDatabase.Fence("refused-" + how, Writer);
        await _db.LeaseAsync(fence, 0, "a:1", Writer, 60);
        switch (how)
        {
            case "released":
                await _db.LeaseAsync(fence, 1, owner: null, writer: null, 0);
                break;
            case "expired":
                await _db.LeaseAsync(fence, 1, "a:1", Writer, -1);
                break;
            case "another-node":
                await _db.LeaseAsync(fence, 1, "b:1", "node-b-2222", 60);
                break;
            case "same-address-other-incarnation":
                // A restart on the same address: sharding's owner name is the same, the writer is not.
                await _db.LeaseAsync(fence, 1, "a:1", "node-a-3333", 60);
                break;
        }

        var held = await _db.SensorsOnAsync(0, 50, how + "-");
        var notHeld = (await _db.SensorsOnAsync(1, 1, how + "-"))[0];

        var error = await Assert.ThrowsAsync<PostgresException>(() => _db.InsertAsync(_db.Sessions(fence), [.. held, notHeld]));

        Assert.Equal(JournalFence.NotHeldSqlState, error.SqlState);
        Assert.True(JournalFence.IsRefusal(error));
        Assert.Equal(0, await _db.RowsAsync([.. held, notHeld]));
    }

    [Fact]
    public async Task Sessions_that_declare_no_writer_are_not_fenced()
    {
        var fence = FenceDatabase.Fence("unfenced", Writer);
        var sensors = await _db.SensorsOnAsync(2, 3, "unfenced-");

        await _db.InsertAsync(_db.Plain, sensors);

        Assert.Equal(3, await _db.RowsAsync(sensors));
        await Assert.ThrowsAsync<PostgresException>(() => _db.InsertAsync(_db.Sessions(fence), "unfenced-other"));
    }

    [Fact]
    public async Task A_session_that_declares_a_writer_but_not_its_shards_is_refused_with_ZF002()
    {
        var fence = FenceDatabase.Fence("misconfigured", Writer);
        await _db.LeaseAsync(fence, 0, "a:1", Writer, 60);
        var sensors = await _db.SensorsOnAsync(0, 1, "misconfigured-");
        var writerOnly = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = $"-c {JournalFence.WriterSetting}={Writer}" }.ConnectionString;
        await using var sessions = NpgsqlDataSource.Create(writerOnly);

        var error = await Assert.ThrowsAsync<PostgresException>(() => _db.InsertAsync(sessions, sensors));

        Assert.Equal(JournalFence.MisconfiguredSqlState, error.SqlState);
        Assert.Equal(0, await _db.RowsAsync(sensors));
    }

    [Fact]
    public async Task A_stream_that_is_not_a_sensor_stream_is_refused_in_a_fenced_session()
    {
        var fence = FenceDatabase.Fence("foreign", Writer);
        await _db.LeaseAsync(fence, 0, "a:1", Writer, 60);
        var sensors = await _db.SensorsOnAsync(0, 2, "foreign-");
        await using var connection = await _db.Sessions(fence).OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            FenceDatabase.InsertStreamsAsync(connection, null, "sensor/" + sensors[0], "sharding-coordinator", "sensor/" + sensors[1]));

        Assert.Equal(JournalFence.NotHeldSqlState, error.SqlState);
        Assert.Equal(0, await _db.RowsAsync(sensors));
    }

    [Fact]
    public async Task A_batch_of_thousands_of_rows_is_stored_and_one_shard_moved_away_refuses_all_of_it()
    {
        var fence = FenceDatabase.Fence("large", Writer);
        for (var shard = 0; shard < FenceDatabase.Shards; shard++)
        {
            await _db.LeaseAsync(fence, shard, "a:1", Writer, 60);
        }

        var sensors = Enumerable.Range(0, 5_000).Select(i => $"large-{i}").ToArray();
        await _db.InsertAsync(_db.Sessions(fence), sensors);
        Assert.Equal(5_000, await _db.RowsAsync(sensors));

        await _db.LeaseAsync(fence, 3, "b:1", "node-b-2222", 60);
        var more = Enumerable.Range(0, 5_000).Select(i => $"large-more-{i}").ToArray();
        var error = await Assert.ThrowsAsync<PostgresException>(() => _db.InsertAsync(_db.Sessions(fence), more));
        Assert.Equal(JournalFence.NotHeldSqlState, error.SqlState);
        Assert.Equal(0, await _db.RowsAsync(more));
    }
}
