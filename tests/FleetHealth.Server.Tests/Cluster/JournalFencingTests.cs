using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Fleet;
using FleetHealth.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>The journal's fencing check against the lease table: stale writes are refused, takeovers and writes exclude each other.</summary>
public sealed class JournalFencingTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private const int Shards = 2;
    private readonly ClusterOptions _options = new() { Shards = Shards, LeaseSeconds = 60, SafetyMarginSeconds = 1, RenewIntervalSeconds = 1 };
    private readonly ClusterNode _writer = new("writer", "secret", DateTimeOffset.UtcNow);
    private ShardLeases _leases = null!;

    public async Task InitializeAsync()
    {
        _leases = new ShardLeases(Options.Create(_options), TimeProvider.System);
        await ExecuteAsync("DELETE FROM shard_leases; DELETE FROM cluster_members; INSERT INTO shard_leases (shard) VALUES (0), (1)");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Only_the_writes_of_a_shard_whose_lease_moved_are_refused_and_the_rest_of_the_batch_is_stored()
    {
        await LeaseAsync(0, "writer", _writer.Incarnation, epoch: 1, seconds: 60);
        await LeaseAsync(1, "taker", Guid.NewGuid(), epoch: 2, seconds: 60);
        Hold(0, epoch: 1);
        Hold(1, epoch: 1);
        await using var journal = Journal();

        var kept = journal.WriteAsync(Write(SensorOn(0, "kept-")));
        var lost = journal.WriteAsync(Write(SensorOn(1, "lost-")));

        await kept;
        var error = await Assert.ThrowsAsync<ShardNotHeldException>(() => lost);
        Assert.Equal(1, error.Shard);
        Assert.Equal(1, await journal.ReadHighestSequenceNrAsync("sensor/" + SensorOn(0, "kept-")));
        Assert.Equal(0, await journal.ReadHighestSequenceNrAsync("sensor/" + SensorOn(1, "lost-")));
    }

    [Fact]
    public async Task A_write_under_an_older_epoch_or_an_expired_lease_is_refused()
    {
        await LeaseAsync(0, "writer", _writer.Incarnation, epoch: 2, seconds: 60);
        await LeaseAsync(1, "writer", _writer.Incarnation, epoch: 1, seconds: -1);
        Hold(0, epoch: 1);
        Hold(1, epoch: 1);
        await using var journal = Journal();

        await Assert.ThrowsAsync<ShardNotHeldException>(() => journal.WriteAsync(Write(SensorOn(0, "old-epoch-"))));
        await Assert.ThrowsAsync<ShardNotHeldException>(() => journal.WriteAsync(Write(SensorOn(1, "expired-"))));
    }

    [Fact]
    public async Task A_node_that_cannot_prove_its_lease_refuses_even_if_the_database_still_says_it_is_its()
    {
        await LeaseAsync(0, "writer", _writer.Incarnation, epoch: 1, seconds: 60);
        await using var journal = Journal();

        await Assert.ThrowsAsync<ShardNotHeldException>(() => journal.WriteAsync(Write(SensorOn(0, "unproven-"))));
    }

    [Fact]
    public async Task A_takeover_passes_over_a_shard_while_a_checked_batch_is_in_flight_and_a_renewal_does_not_wait_for_it()
    {
        var shortLease = new ClusterOptions { Shards = Shards, LeaseSeconds = 1, SafetyMarginSeconds = 0.1, RenewIntervalSeconds = 0.2 };
        var store = new ShardLeaseStore(db.DataSource, shortLease);
        await LeaseAsync(0, "writer", _writer.Incarnation, epoch: 1, seconds: 60);
        Hold(0, epoch: 1);
        var fencing = new JournalFencing(_leases, _writer, _options, SensorFleet.SensorIdOf);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var batch = await connection.BeginTransactionAsync();
        Assert.Empty(await fencing.CheckAsync(connection, batch, [Write(SensorOn(0, "in-flight-"))], CancellationToken.None));

        // The owner renews while its batch holds the row (FOR KEY SHARE does not block it)…
        var renewed = await store.RenewAsync(_writer, new Uri("http://writer:1"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(renewed, r => r.Shard == 0);

        // …then its lease expires (1 s by PostgreSQL's clock), but the batch is still in flight: the takeover passes the shard over.
        await Eventually.Until(() => ScalarAsync<bool>("SELECT expires_at <= clock_timestamp() FROM shard_leases WHERE shard = 0"), expired => expired, TimeSpan.FromSeconds(30), "the lease expires");
        var taker = new ClusterNode("taker", "secret", DateTimeOffset.UtcNow);
        var during = await store.CoordinateAsync(taker, (_, _) => new AllocationDecision(2, []), () => 0, CancellationToken.None);
        Assert.DoesNotContain(during.Acquired, a => a.Shard == 0);

        await batch.CommitAsync();
        var after = await store.CoordinateAsync(taker, (_, _) => new AllocationDecision(2, []), () => 0, CancellationToken.None);
        var taken = Assert.Single(after.Acquired, a => a.Shard == 0);
        Assert.Equal(2, taken.Epoch);
        Assert.Equal("writer", taken.PreviousOwner);
    }

    private PostgresJournal Journal() =>
        new(db.DataSource, new PostgresJournalOptions { BeforeBatch = new JournalFencing(_leases, _writer, _options, SensorFleet.SensorIdOf).CheckAsync });

    private void Hold(int shard, long epoch) => _leases.Grant(shard, epoch, _leases.Now(), _leases.Releases);

    private static string SensorOn(int shard, string prefix) =>
        Enumerable.Range(0, 1000).Select(i => $"{prefix}{i}").First(id => ShardId.Of(id, Shards) == shard);

    private static AtomicWrite Write(string sensorId) => new([new PersistentRepr("sensor/" + sensorId, 1, "m", [1], [])]);

    private async Task LeaseAsync(int shard, string owner, Guid incarnation, long epoch, int seconds)
    {
        await using var command = db.DataSource.CreateCommand(
            "UPDATE shard_leases SET owner = $2, owner_incarnation = $3, epoch = $4, acquired_at = clock_timestamp(), expires_at = clock_timestamp() + make_interval(secs => $5) WHERE shard = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = shard });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = incarnation });
        command.Parameters.Add(new NpgsqlParameter { Value = epoch });
        command.Parameters.Add(new NpgsqlParameter { Value = (double)seconds });
        await command.ExecuteNonQueryAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
