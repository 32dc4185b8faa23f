using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using FleetHealth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace FleetHealth.Coordination.Tests;

/// <summary>
/// <see cref="PostgresLease"/> against a real PostgreSQL migrated by the project's migrator, with
/// test timings: heartbeat 200 ms, timeout 1 s (trusted for 800 ms after each renewal was sent).
/// </summary>
public sealed class PostgresLeaseTests(MigratedDatabase database, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(Config(database.ConnectionString), output: output), IClassFixture<MigratedDatabase>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task A_free_lease_is_acquired_and_checked()
    {
        var lease = Lease("free", "a");
        Assert.False(lease.CheckLease());
        Assert.True(await lease.Acquire());
        Assert.True(lease.CheckLease());
        var row = await Row("free");
        Assert.Equal("a", row.Owner);
        Assert.Equal(1, row.Epoch);
    }

    [Fact]
    public async Task A_second_owner_is_refused_while_the_first_holds_the_lease()
    {
        var a = Lease("held", "a");
        var b = Lease("held", "b");
        Assert.True(await a.Acquire());
        // Several heartbeats of the holder: the lease stays renewed and b stays refused.
        var first = (await Row("held")).ExpiresAt;
        await AwaitAssertAsync(async () => Assert.True((await Row("held")).ExpiresAt > first), Patience, Poll);
        Assert.False(await b.Acquire());
        Assert.False(b.CheckLease());
        Assert.True(a.CheckLease());
    }

    [Fact]
    public async Task A_released_lease_goes_to_the_next_owner_with_a_new_epoch()
    {
        var a = Lease("released", "a");
        var b = Lease("released", "b");
        Assert.True(await a.Acquire());
        Assert.True(await a.Release());
        Assert.False(a.CheckLease());
        Assert.True(await b.Acquire());
        Assert.True(b.CheckLease());
        var row = await Row("released");
        Assert.Equal("b", row.Owner);
        Assert.Equal(2, row.Epoch);
        Assert.False(await a.Release());
        Assert.Equal("b", (await Row("released")).Owner);
    }

    [Fact]
    public async Task An_owner_that_stops_renewing_loses_the_lease_only_after_it_expired_by_the_database_clock()
    {
        var other = ActorSystem.Create("owner-a", Sys.Settings.Config);
        var a = new PostgresLease(Settings("stopped", "a", database.ConnectionString), (ExtendedActorSystem)other);
        Assert.True(await a.Acquire());
        await other.Terminate();
        var lastExpiry = (await Row("stopped")).ExpiresAt;

        var b = Lease("stopped", "b");
        await AwaitAssertAsync(async () => Assert.True(await b.Acquire()), Patience, Poll);
        var row = await Row("stopped");
        Assert.Equal("b", row.Owner);
        Assert.Equal(2, row.Epoch);
        Assert.True(row.AcquiredAt >= lastExpiry, $"acquired at {row.AcquiredAt:O}, before the expiry {lastExpiry:O}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_owner_cut_off_from_the_database_is_told_it_lost_the_lease_before_another_can_take_it(bool blackHole)
    {
        var name = blackHole ? "cut-silent" : "cut-refused";
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = TcpProxy.To(server.Host!, server.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        var a = new PostgresLease(Settings(name, "a", proxied), (ExtendedActorSystem)Sys);
        var b = Lease(name, "b");
        var lost = CreateTestProbe();
        Assert.True(await a.Acquire(e => lost.Ref.Tell(e)));

        if (blackHole)
        {
            proxy.BlackHole();
        }
        else
        {
            proxy.Refuse();
        }

        // b polls from the cut. When it gets the lease, a must already distrust it, and b's
        // acquisition must lie after a's last expiry, both by the database's clock.
        var aExpiry = DateTime.MinValue;
        var aTrustedWhenTaken = true;
        await AwaitAssertAsync(async () =>
        {
            var before = await Row(name);
            if (before.Owner == "a")
            {
                aExpiry = before.ExpiresAt;
            }

            Assert.True(await b.Acquire());
            aTrustedWhenTaken = a.CheckLease();
        }, Patience, Poll);
        Assert.False(aTrustedWhenTaken);
        lost.ExpectMsg<Exception>(Patience);
        Assert.False(a.CheckLease());
        var row = await Row(name);
        Assert.Equal("b", row.Owner);
        Assert.Equal(2, row.Epoch);
        Assert.True(row.AcquiredAt >= aExpiry, $"acquired at {row.AcquiredAt:O}, before a's lease expired at {aExpiry:O}");

        // a's held renewals arrive late: they must not take the lease back from b.
        proxy.Heal();
        var acquiredExpiry = row.ExpiresAt;
        await AwaitAssertAsync(async () => Assert.True((await Row(name)).ExpiresAt > acquiredExpiry.AddMilliseconds(400)), Patience, Poll);
        Assert.Equal("b", (await Row(name)).Owner);
        Assert.True(b.CheckLease());
        Assert.False(a.CheckLease());
    }

    [Fact]
    public async Task A_renewal_that_arrives_after_the_expiry_fails_and_does_not_block_the_next_owner()
    {
        // The race at the level of the SQL: a's renewal is delayed past its expiry while b acquires.
        var store = new PostgresLeaseStore(database.DataSource);
        var epoch = await store.AcquireAsync("late", "a", TimeSpan.FromMilliseconds(300), default);
        Assert.Equal(1, epoch);
        await AwaitAssertAsync(async () => Assert.True(await ExpiredByDatabase("late")), Patience, Poll);
        Assert.False(await store.RenewAsync("late", "a", 1, TimeSpan.FromSeconds(30), default));
        Assert.Equal(2, await store.AcquireAsync("late", "b", TimeSpan.FromSeconds(30), default));
        Assert.False(await store.RenewAsync("late", "a", 1, TimeSpan.FromSeconds(30), default));
        Assert.False(await store.ReleaseAsync("late", "a", 1, default));
        Assert.True(await store.RenewAsync("late", "b", 2, TimeSpan.FromSeconds(30), default));
        Assert.Null(await store.AcquireAsync("late", "a", TimeSpan.FromSeconds(30), default));
        // Re-acquiring one's own unexpired lease keeps its epoch.
        Assert.Equal(2, await store.AcquireAsync("late", "b", TimeSpan.FromSeconds(30), default));
    }

    [Fact]
    public async Task A_restarted_node_on_the_same_address_is_another_owner_until_the_old_incarnations_lease_expires()
    {
        // Sharding names the owner by address, which a restart keeps; the journal writer is new.
        var old = new PostgresLeaseStore(database.DataSource, "node-a-old");
        var restarted = new PostgresLeaseStore(database.DataSource, "node-a-new");
        Assert.Equal(1, await old.AcquireAsync("restart", "fleet@a:4053", TimeSpan.FromMilliseconds(500), default));
        Assert.Null(await restarted.AcquireAsync("restart", "fleet@a:4053", TimeSpan.FromSeconds(30), default));

        await AwaitAssertAsync(async () => Assert.Equal(2, await restarted.AcquireAsync("restart", "fleet@a:4053", TimeSpan.FromSeconds(30), default)), Patience, Poll);
        Assert.Equal("node-a-new", await Writer("restart"));
        // The old incarnation cannot take it back, nor renew it.
        Assert.Null(await old.AcquireAsync("restart", "fleet@a:4053", TimeSpan.FromSeconds(30), default));
        Assert.False(await old.RenewAsync("restart", "fleet@a:4053", 1, TimeSpan.FromSeconds(30), default));
        // Re-acquiring by the same incarnation keeps the epoch; releasing clears the writer.
        Assert.Equal(2, await restarted.AcquireAsync("restart", "fleet@a:4053", TimeSpan.FromSeconds(30), default));
        Assert.True(await restarted.ReleaseAsync("restart", "fleet@a:4053", 2, default));
        Assert.Null(await Writer("restart"));
    }

    [Fact]
    public async Task The_lease_records_the_journal_writer_of_its_configuration()
    {
        var settings = LeaseSettings.Create(
            ConfigurationFactory.ParseString("journal-writer = \"node-1-42-0a1b2c3d\"").WithFallback(Settings("configured-writer", "a", database.ConnectionString).LeaseConfig),
            "configured-writer",
            "a");
        var lease = new PostgresLease(settings, (ExtendedActorSystem)Sys);
        Assert.True(await lease.Acquire());
        Assert.Equal("node-1-42-0a1b2c3d", await Writer("configured-writer"));
    }

    [Fact]
    public async Task Akka_lease_provider_loads_the_lease_from_configuration_as_sharding_use_lease_does()
    {
        var lease = LeaseProvider.Get(Sys).GetLease("provided", PostgresLease.ConfigPath, "node-1:4053");
        Assert.IsType<PostgresLease>(lease);
        Assert.Equal(TimeSpan.FromMilliseconds(200), lease.Settings.TimeoutSettings.HeartbeatInterval);
        Assert.True(await lease.Acquire());
        Assert.True(lease.CheckLease());
        Assert.Equal("node-1:4053", (await Row("provided")).Owner);
        Assert.Same(lease, LeaseProvider.Get(Sys).GetLease("provided", PostgresLease.ConfigPath, "node-1:4053"));
    }

    private static Config Config(string connectionString) =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = INFO
            fleethealth.postgres-lease {
              heartbeat-interval = 200ms
              heartbeat-timeout = 1s
              safety-margin = 200ms
              lease-operation-timeout = 500ms
              connection-string = "{{connectionString}}"
            }
            """).WithFallback(PostgresLease.DefaultConfig);

    private static LeaseSettings Settings(string name, string owner, string? connectionString = null)
    {
        var block = Config(connectionString ?? "unused").GetConfig(PostgresLease.ConfigPath);
        if (connectionString is not null)
        {
            block = ConfigurationFactory.ParseString($"connection-string = \"{connectionString}\"").WithFallback(block);
        }

        return LeaseSettings.Create(block, name, owner);
    }

    private PostgresLease Lease(string name, string owner) =>
        new(Settings(name, owner, database.ConnectionString), (ExtendedActorSystem)Sys);

    private async Task<LeaseRow> Row(string name)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT owner, epoch, acquired_at, expires_at FROM akka.leases WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row for {name}");
        return new LeaseRow(
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.GetInt64(1),
            reader.GetFieldValue<DateTime>(2),
            reader.IsDBNull(3) ? DateTime.MinValue : reader.GetFieldValue<DateTime>(3));
    }

    private async Task<string?> Writer(string name)
    {
        await using var command = database.DataSource.CreateCommand("SELECT writer FROM akka.leases WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task<bool> ExpiredByDatabase(string name)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT expires_at <= clock_timestamp() FROM akka.leases WHERE name = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private sealed record LeaseRow(string? Owner, long Epoch, DateTime AcquiredAt, DateTime ExpiresAt);
}
