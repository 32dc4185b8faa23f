using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using FleetHealth.Coordination;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace FleetHealth.Wiring.Tests;

/// <summary>
/// The journal fence (migration 0016) through the real Akka.Persistence.Sql plugin: a
/// <see cref="SensorActor"/> whose journal sessions carry its node's writer persists while that
/// writer holds the sensor's shard lease; once the lease expired and another node took it, the
/// actor's next persist fails (the asker gets a failure, never a success; the actor stops) and
/// nothing of it reaches the journal. This is the window between a cut-off node's lease expiring
/// and its lease heartbeat telling sharding to stop the shard.
/// </summary>
public sealed class FencedJournalTests(MigratedDatabase database, ITestOutputHelper output) : IClassFixture<MigratedDatabase>
{
    private const string SystemName = "fleet";
    private const string TypeName = "sensor";
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_sensor_persists_while_its_node_holds_the_lease_and_fails_without_writing_once_another_node_took_it()
    {
        const string sensor = "fenced-1";
        var fence = new JournalFence(JournalFence.NewWriter(), SystemName, TypeName, WiringShards.Count);
        var leaseName = fence.LeaseNameOf(new SensorMessageExtractor(WiringShards.Count).ShardId(sensor, null));

        // The node's lease lives in an actor system of its own: terminating it stops the renewals
        // (the node is cut off from the database) while the sensor's system keeps writing.
        var leaseSystem = ActorSystem.Create("lease-a", LeaseConfig());
        var held = new PostgresLease(Lease(leaseName, "fleet@a:4053", fence.Writer), (ExtendedActorSystem)leaseSystem);
        Assert.True(await held.Acquire());

        using var node = new Akka.TestKit.Xunit2.TestKit(NodeConfig(fence), SystemName, output: output);
        var actor = node.Sys.ActorOf(SensorActor.Props(sensor, FleetPolicy.Fixed(new LivenessPolicy()), autoRegister: true, snapshotEvery: 0, TimeProvider.System));
        node.Watch(actor);
        Assert.Equal(IngestOutcome.Accepted, await actor.Ask<IngestOutcome>(new SubmitHeartbeat(Beat(sensor, 1)), Ask));
        Assert.Equal(IngestOutcome.Accepted, await actor.Ask<IngestOutcome>(new SubmitHeartbeat(Beat(sensor, 2)), Ask));
        var stored = await RowsAsync(sensor);
        Assert.True(stored >= 2, $"{stored} rows");

        await leaseSystem.Terminate();
        using var other = new Akka.TestKit.Xunit2.TestKit(LeaseConfig(), "lease-b", output: output);
        var taken = new PostgresLease(Lease(leaseName, "fleet@b:4053", "node-b-0000"), (ExtendedActorSystem)other.Sys);
        await Eventually.Until(() => taken.Acquire(), acquired => acquired, Ask, "another node takes the expired lease");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => actor.Ask<IngestOutcome>(new SubmitHeartbeat(Beat(sensor, 3)), Ask));
        output.WriteLine($"refused: {failure.GetType().Name}: {failure.Message}");
        Assert.True(JournalFence.IsRefusal(failure), failure.ToString());
        node.ExpectTerminated(actor, Ask);
        Assert.Equal(stored, await RowsAsync(sensor));
    }

    private Config NodeConfig(JournalFence fence) =>
        ConfigurationFactory.ParseString("akka.loglevel = INFO")
            .WithFallback(SensorEventSerializer.Config)
            .WithFallback(AkkaJournalConfiguration.ToConfig(database.ConnectionString, new AkkaJournalOptions(), fence));

    // Test timings: a lease not renewed expires 5 s after its last renewal.
    private Config LeaseConfig() =>
        ConfigurationFactory.ParseString($$"""
            fleethealth.postgres-lease {
              # Short enough to wait out, long enough that a renewal late on a loaded machine does not lose it.
              heartbeat-interval = 500ms
              heartbeat-timeout = 5s
              safety-margin = 1s
              lease-operation-timeout = 2s
              connection-string = "{{database.ConnectionString}}"
            }
            """).WithFallback(PostgresLease.DefaultConfig);

    private LeaseSettings Lease(string name, string owner, string writer) =>
        LeaseSettings.Create(
            ConfigurationFactory.ParseString($"journal-writer = \"{writer}\"").WithFallback(LeaseConfig().GetConfig(PostgresLease.ConfigPath)),
            name,
            owner);

    private static Heartbeat Beat(string sensor, long sequence) =>
        new(SensorId.TryParse(sensor, out var id, out _) ? id : throw new ArgumentException(sensor), DateTimeOffset.UtcNow, sequence);

    private async Task<long> RowsAsync(string sensor)
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM akka.event_journal WHERE persistence_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = SensorActor.PersistenceIdOf(sensor) });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
