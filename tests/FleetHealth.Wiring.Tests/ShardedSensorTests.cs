using System.Text.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
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
/// The Akka.NET parts together on a database that only the project's migrations prepared: a
/// single-node cluster whose sharding region "sensor" runs <see cref="SensorActor"/>s, journalled
/// by the Sql plugin through <see cref="SensorEventSerializer"/>, each shard under a
/// <see cref="PostgresLease"/>, the journal fenced by the node's <see cref="JournalFence"/> (so
/// every persist also proves that the fence finds the lease sharding took for the sensor); then a
/// new system (a new writer) on the same database recovers the sensor.
/// </summary>
public sealed class ShardedSensorTests(MigratedDatabase database, ITestOutputHelper output) : IClassFixture<MigratedDatabase>
{
    private const string SystemName = "fleet";
    private const string TypeName = "sensor";
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Heartbeats_through_the_region_are_journalled_under_a_lease_and_recovered_by_a_new_system()
    {
        const string sensor = "wiring-1";
        var extractor = new SensorMessageExtractor(WiringShards.Count);
        var leaseName = $"{SystemName}-shard-{TypeName}-{extractor.ShardId(sensor, null)}";

        string firstOwner;
        var firstFence = NewFence();
        using (var first = new Akka.TestKit.Xunit2.TestKit(Setup(firstFence), SystemName, output: output))
        {
            var region = await StartAsync(first.Sys);
            for (var sequence = 1; sequence <= 3; sequence++)
            {
                var beat = new Heartbeat(Id(sensor), DateTimeOffset.UtcNow, sequence);
                Assert.Equal(IngestOutcome.Accepted, await region.Ask<IngestOutcome>(new SensorEnvelope(sensor, new SubmitHeartbeat(beat)), Ask));
            }

            // The sensor's events, through its serializer, in the migrated journal table.
            var rows = await RowsAsync(
                "SELECT manifest, identifier, convert_from(message, 'UTF8') FROM akka.event_journal WHERE persistence_id = $1 ORDER BY sequence_number",
                SensorActor.PersistenceIdOf(sensor));
            Assert.Equal(3, rows.Count(r => (string)r[0] == SensorEventManifests.Heartbeat));
            Assert.All(rows, r => Assert.Equal(SensorEventSerializer.Id, (int)r[1]));
            var beats = rows.Where(r => (string)r[0] == SensorEventManifests.Heartbeat)
                .Select(r => JsonDocument.Parse((string)r[2]).RootElement).ToList();
            Assert.Equal([1L, 2L, 3L], beats.Select(Sequence));
            // state-store-mode = ddata: sharding itself writes nothing to the journal.
            Assert.Empty(await RowsAsync("SELECT persistence_id FROM akka.event_journal WHERE persistence_id NOT LIKE 'sensor/%'"));

            // The sensor's shard runs under a lease in akka.leases that this node holds.
            firstOwner = Cluster.Get(first.Sys).SelfAddress.HostPort();
            var lease = Assert.Single(await RowsAsync("SELECT owner, epoch, writer FROM akka.leases WHERE name = $1", leaseName));
            Assert.Equal(firstOwner, lease[0]);
            Assert.Equal(1L, lease[1]);
            Assert.Equal(firstFence.Writer, lease[2]);

            // Leaving the cluster hands the shards off: the shard stops and releases its lease.
            await CoordinatedShutdown.Get(first.Sys).Run(CoordinatedShutdown.ClusterLeavingReason.Instance).WaitAsync(Ask);
            await first.Sys.WhenTerminated.WaitAsync(Ask);
            var released = Assert.Single(await RowsAsync("SELECT owner FROM akka.leases WHERE name = $1", leaseName));
            output.WriteLine($"lease {leaseName} after the first system left: owner {released[0]}");
            Assert.Equal(DBNull.Value, released[0]);
        }

        var secondFence = NewFence();
        using var second = new Akka.TestKit.Xunit2.TestKit(Setup(secondFence), SystemName, output: output);
        var recovered = await StartAsync(second.Sys);
        var state = Assert.IsType<SensorState>(await recovered.Ask<object>(new SensorEnvelope(sensor, new GetSensorState()), Ask));
        Assert.True(state.IsKnown);
        Assert.Equal(3L, state.HeartbeatCount);
        var taken = Assert.Single(await RowsAsync("SELECT owner, epoch, writer FROM akka.leases WHERE name = $1", leaseName));
        Assert.Equal(Cluster.Get(second.Sys).SelfAddress.HostPort(), taken[0]);
        Assert.NotEqual(firstOwner, taken[0]);
        Assert.Equal(2L, taken[1]);
        Assert.Equal(secondFence.Writer, taken[2]);

        // The new owner writes under the fence too.
        var next = new Heartbeat(Id(sensor), DateTimeOffset.UtcNow, 4);
        Assert.Equal(IngestOutcome.Accepted, await recovered.Ask<IngestOutcome>(new SensorEnvelope(sensor, new SubmitHeartbeat(next)), Ask));
    }

    /// <summary>Joins the system to itself, waits until it is up and starts the sensor region.</summary>
    private static async Task<IActorRef> StartAsync(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(up.SetResult);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Ask);
        await up.Task.WaitAsync(Ask);

        var rules = FleetPolicy.Fixed(new LivenessPolicy());
        return await ClusterSharding.Get(system).StartAsync(
            TypeName,
            entityId => SensorActor.Props(entityId, rules, autoRegister: true, snapshotEvery: 0, TimeProvider.System),
            ClusterShardingSettings.Create(system),
            new SensorMessageExtractor(WiringShards.Count));
    }

    private static JournalFence NewFence() => new(JournalFence.NewWriter(), SystemName, TypeName, WiringShards.Count);

    private ActorSystemSetup Setup(JournalFence fence) =>
        BootstrapSetup.Create().WithConfig(Config(fence)).And(new PostgresLeaseSetup(database.DataSource));

    private Config Config(JournalFence fence) =>
        ConfigurationFactory.ParseString("""
            akka {
              loglevel = INFO
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "127.0.0.1"
                port = 0
              }
              cluster.sharding {
                # The default is "persistence": the coordinator would write its state into the journal.
                state-store-mode = ddata
                remember-entities = off
                # Idle sensors must stay: their deadline timer is what turns them late.
                passivate-idle-entity-after = off
                use-lease = "fleethealth.postgres-lease"
                lease-retry-interval = 200ms
              }
            }
            # Test timings: a lease not released is taken over after 3 s.
            fleethealth.postgres-lease {
              heartbeat-timeout = 3s
              heartbeat-interval = 300ms
              safety-margin = 1s
              lease-operation-timeout = 2s
            }
            """)
            .WithFallback(fence.LeaseConfig)
            .WithFallback(PostgresLease.DefaultConfig)
            .WithFallback(SensorEventSerializer.Config)
            .WithFallback(AkkaJournalConfiguration.ToConfig(database.ConnectionString, new AkkaJournalOptions(), fence));

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);

    private static long Sequence(JsonElement beat) => beat.GetProperty("sequence").GetInt64();

    private async Task<List<object[]>> RowsAsync(string sql, params object[] parameters)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }
}
