using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Coordination.Tests;

/// <summary>
/// A change of hands against writes in flight (migration 0016 with <see cref="PostgresLeaseStore"/>):
/// a write that passed the fence is either committed before the new holder's acquisition returns
/// or ended by it and stores nothing; a write checked during a change of hands is refused; the
/// holder's own renewals never wait for its writes.
/// </summary>
public sealed class JournalFenceTakeoverTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private const string OldWriter = "node-a-1111";
    private const string NewWriter = "node-b-2222";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private FenceDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = new FenceDatabase(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task A_takeover_waits_for_a_write_that_passed_the_fence_and_that_write_is_kept()
    {
        var fence = FenceDatabase.Fence("waits", OldWriter);
        await _db.LeaseAsync(fence, 0, "a:1", OldWriter, 60);
        var sensors = await _db.SensorsOnAsync(0, 3, "waits-");
        // Sessions the takeover cannot tell as the old writer's (another application name), so it
        // cannot end them and has to wait.
        await using var writing = await _db.Sessions(fence, applicationName: "unmarked-writer").OpenConnectionAsync();
        await using var transaction = await writing.BeginTransactionAsync();
        await FenceDatabase.InsertAsync(writing, transaction, sensors);
        // The lease expires while the batch is uncommitted (an UPDATE of the expiry: the batch's
        // lock must survive a new row version, as it does a renewal's).
        await _db.ExpireAsync(fence, 0);

        var taker = new PostgresLeaseStore(_db.Named("taker-waits"), NewWriter);
        var acquisition = taker.AcquireAsync(FenceDatabase.LeaseName(fence, 0), "b:1", Lease, CancellationToken.None);
        await Eventually.Until(() => _db.WaitsForLockAsync("taker-waits"), waiting => waiting, Patience, "the takeover waits for the batch's lock");
        Assert.False(acquisition.IsCompleted);

        await transaction.CommitAsync();
        Assert.Equal(2, await acquisition.WaitAsync(Patience));
        Assert.Equal(3, await _db.RowsAsync(sensors));
        Assert.Equal(("b:1", NewWriter, 2L), await _db.LeaseRowAsync(fence, 0));
    }

    [Fact]
    public async Task Taking_over_an_expired_lease_ends_the_open_transactions_of_the_previous_writer_which_store_nothing()
    {
        var fence = FenceDatabase.Fence("ended", OldWriter);
        await _db.LeaseAsync(fence, 0, "a:1", OldWriter, 60);
        var sensors = await _db.SensorsOnAsync(0, 3, "ended-");
        var oldSessions = _db.Sessions(fence);
        await using var hung = await oldSessions.OpenConnectionAsync();
        await using var idle = await oldSessions.OpenConnectionAsync();
        var transaction = await hung.BeginTransactionAsync();
        await FenceDatabase.InsertAsync(hung, transaction, sensors);
        await _db.ExpireAsync(fence, 0);

        var taker = new PostgresLeaseStore(_db.Named("taker-ended"), NewWriter);
        Assert.Equal(2, await taker.AcquireAsync(FenceDatabase.LeaseName(fence, 0), "b:1", Lease, CancellationToken.None).WaitAsync(Patience));

        // The old writer's transaction was ended by the server: its commit fails and stores nothing.
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => transaction.CommitAsync());
        Assert.Equal(0, await _db.RowsAsync(sensors));
        // Its idle session held nothing and was left alone; its next write is refused by the fence.
        var late = await Assert.ThrowsAsync<PostgresException>(() => FenceDatabase.InsertAsync(idle, null, sensors));
        Assert.Equal(JournalFence.NotHeldSqlState, late.SqlState);
        Assert.Equal(0, await _db.RowsAsync(sensors));
    }

    [Fact]
    public async Task A_write_checked_during_a_change_of_hands_waits_for_it_and_is_refused_once_the_new_holder_commits()
    {
        var fence = FenceDatabase.Fence("recheck", OldWriter);
        await _db.LeaseAsync(fence, 0, "a:1", OldWriter, 60);
        var sensors = await _db.SensorsOnAsync(0, 3, "recheck-");
        var name = FenceDatabase.LeaseName(fence, 0);

        // The new holder's transaction takes the row as PostgresLease does (LockSql first), then
        // moves it (a handoff: the old writer's lease had not expired).
        await using var taker = await _db.Plain.OpenConnectionAsync();
        await using var handoff = await taker.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(PostgresLeaseStore.LockSql, taker, handoff))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = name });
            await command.ExecuteNonQueryAsync();
        }

        await using (var command = new NpgsqlCommand("UPDATE akka.leases SET owner = 'b:1', writer = $2, epoch = epoch + 1 WHERE name = $1", taker, handoff))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = name });
            command.Parameters.Add(new NpgsqlParameter { Value = NewWriter });
            await command.ExecuteNonQueryAsync();
        }

        var write = _db.InsertAsync(_db.Sessions(fence), sensors);
        await Eventually.Until(() => _db.WaitsForLockAsync(fence.ApplicationName), waiting => waiting, Patience, "the write's check waits for the change of hands");
        Assert.False(write.IsCompleted);

        await handoff.CommitAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => write.WaitAsync(Patience));
        Assert.Equal(JournalFence.NotHeldSqlState, error.SqlState);
        Assert.Equal(0, await _db.RowsAsync(sensors));
    }

    [Fact]
    public async Task The_holders_renewal_does_not_wait_for_its_own_writes_in_flight()
    {
        var fence = FenceDatabase.Fence("renewal", OldWriter);
        var name = FenceDatabase.LeaseName(fence, 0);
        var holder = new PostgresLeaseStore(_db.Plain, OldWriter);
        Assert.Equal(1, await holder.AcquireAsync(name, "a:1", Lease, CancellationToken.None));
        var sensors = await _db.SensorsOnAsync(0, 3, "renewal-");
        await using var writing = await _db.Sessions(fence).OpenConnectionAsync();
        await using var transaction = await writing.BeginTransactionAsync();
        await FenceDatabase.InsertAsync(writing, transaction, sensors);

        Assert.True(await holder.RenewAsync(name, "a:1", 1, Lease, CancellationToken.None).WaitAsync(Patience));

        await transaction.CommitAsync();
        Assert.Equal(3, await _db.RowsAsync(sensors));
    }
}
