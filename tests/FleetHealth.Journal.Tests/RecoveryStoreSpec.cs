using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;
using Akka.Persistence.Sql.Snapshot;
using FleetHealth.Testing;
using Xunit.Abstractions;

namespace FleetHealth.Journal.Tests;

/// <summary>
/// What a recovery reads, as one contract that Akka.Persistence.Sql's own journal and snapshot
/// store and FleetHealth's (<c>BatchedSqlWriteJournal</c>, <c>BatchedSnapshotStore</c>: the same
/// with the highest-sequence and latest-snapshot reads batched across streams) both pass: many
/// streams recovering at once each get their own latest snapshot, their own events after it and
/// their own highest sequence number, deleted events included.
/// </summary>
public abstract class RecoveryStoreSpec(MigratedDatabase database, ITestOutputHelper output)
{
    private const int Streams = 300;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>HOCON put ahead of the production configuration (the stores' classes).</summary>
    protected abstract string Stores { get; }

    private string Prefix => $"{GetType().Name}-";

    [Fact]
    public void Many_new_streams_recovering_at_once_each_start_from_nothing_and_write_from_one()
    {
        using var kit = Kit();
        var probe = kit.CreateTestProbe();
        var counters = Enumerable.Range(0, Streams).Select(i => kit.Sys.ActorOf(Counter.Props($"{Prefix}new-{i}", probe.Ref))).ToList();

        var recovered = probe.ReceiveN(Streams, Timeout).Cast<Counter.Recovered>().ToList();
        Assert.All(recovered, r => Assert.Equal((0L, 0, 0L), (r.SequenceNr, r.Total, r.FromSnapshot)));
        foreach (var counter in counters)
        {
            counter.Tell(new Counter.Add(1));
        }

        Assert.All(probe.ReceiveN(Streams, Timeout).Cast<Counter.Persisted>(), p => Assert.Equal(1L, p.SequenceNr));
    }

    [Fact]
    public void Many_streams_recovering_at_once_each_get_their_own_latest_snapshot_and_the_events_after_it()
    {
        // Stream i: i % 7 + 1 events of value i, a snapshot after the first (i % 3 == 0), then i % 5 more.
        using (var kit = Kit())
        {
            var probe = kit.CreateTestProbe();
            for (var i = 0; i < Streams; i++)
            {
                var counter = kit.Sys.ActorOf(Counter.Props($"{Prefix}old-{i}", probe.Ref));
                probe.ExpectMsg<Counter.Recovered>(Timeout);
                for (var e = 0; e < (i % 7) + 1; e++)
                {
                    counter.Tell(new Counter.Add(i));
                    probe.ExpectMsg<Counter.Persisted>(Timeout);
                    if (e == 0 && i % 3 == 0)
                    {
                        counter.Tell(Counter.Snapshot.Instance);
                        probe.ExpectMsg<SaveSnapshotSuccess>(Timeout);
                    }
                }
            }
        }

        using var again = Kit();
        var recovering = again.CreateTestProbe();
        for (var i = 0; i < Streams; i++)
        {
            again.Sys.ActorOf(Counter.Props($"{Prefix}old-{i}", recovering.Ref));
        }

        var byStream = recovering.ReceiveN(Streams, Timeout).Cast<Counter.Recovered>().ToDictionary(r => r.PersistenceId);
        for (var i = 0; i < Streams; i++)
        {
            var events = (i % 7) + 1;
            var recovered = byStream[$"{Prefix}old-{i}"];
            Assert.Equal((events, events * i, i % 3 == 0 ? 1L : 0L), (recovered.SequenceNr, recovered.Total, recovered.FromSnapshot));
        }
    }

    [Fact]
    public void A_stream_whose_events_were_deleted_recovers_at_its_highest_sequence_number_and_writes_after_it()
    {
        var id = $"{Prefix}deleted";
        using (var kit = Kit())
        {
            var probe = kit.CreateTestProbe();
            var counter = kit.Sys.ActorOf(Counter.Props(id, probe.Ref));
            probe.ExpectMsg<Counter.Recovered>(Timeout);
            for (var e = 0; e < 4; e++)
            {
                counter.Tell(new Counter.Add(1));
                probe.ExpectMsg<Counter.Persisted>(Timeout);
            }

            counter.Tell(new Counter.Delete(4));
            probe.ExpectMsg<DeleteMessagesSuccess>(Timeout);
        }

        using var again = Kit();
        var next = again.CreateTestProbe();
        var revived = again.Sys.ActorOf(Counter.Props(id, next.Ref));
        Assert.Equal(4L, next.ExpectMsg<Counter.Recovered>(Timeout).SequenceNr);
        revived.Tell(new Counter.Add(1));
        Assert.Equal(5L, next.ExpectMsg<Counter.Persisted>(Timeout).SequenceNr);
    }

    private Akka.TestKit.Xunit2.TestKit Kit() =>
        new(ConfigurationFactory.ParseString(Stores).WithFallback(JournalTestConfig.For(database.ConnectionString)), output: output);

    /// <summary>Sums what it is told to add; tells its probe how it recovered and what it persisted.</summary>
    private sealed class Counter : UntypedPersistentActor
    {
        private readonly IActorRef _probe;
        private int _total;
        private long _fromSnapshot;

        public Counter(string persistenceId, IActorRef probe)
        {
            PersistenceId = persistenceId;
            _probe = probe;
        }

        public override string PersistenceId { get; }

        public static Props Props(string persistenceId, IActorRef probe) => Akka.Actor.Props.Create(() => new Counter(persistenceId, probe));

        protected override void OnRecover(object message)
        {
            switch (message)
            {
                case SnapshotOffer { Snapshot: int total } offer:
                    (_total, _fromSnapshot) = (total, offer.Metadata.SequenceNr);
                    break;
                case int value:
                    _total += value;
                    break;
                case RecoveryCompleted:
                    _probe.Tell(new Recovered(PersistenceId, LastSequenceNr, _total, _fromSnapshot));
                    break;
            }
        }

        protected override void OnCommand(object message)
        {
            switch (message)
            {
                case Add add:
                    Persist(add.Value, value =>
                    {
                        _total += value;
                        _probe.Tell(new Persisted(LastSequenceNr));
                    });
                    break;
                case Snapshot:
                    SaveSnapshot(_total);
                    break;
                case Delete delete:
                    DeleteMessages(delete.ToSequenceNr);
                    break;
                case SaveSnapshotSuccess or DeleteMessagesSuccess:
                    _probe.Tell(message);
                    break;
            }
        }

        public sealed record Add(int Value);

        public sealed record Delete(long ToSequenceNr);

        public sealed class Snapshot
        {
            public static readonly Snapshot Instance = new();
        }

        public sealed record Recovered(string PersistenceId, long SequenceNr, int Total, long FromSnapshot);

        public sealed record Persisted(long SequenceNr);
    }
}

/// <summary>Akka.Persistence.Sql's own journal and snapshot store: the contract's reference.</summary>
public sealed class PluginRecoveryStoreTests(MigratedDatabase database, ITestOutputHelper output) : RecoveryStoreSpec(database, output), IClassFixture<MigratedDatabase>
{
    protected override string Stores => $"""
        akka.persistence.journal.sql.class = "{typeof(SqlWriteJournal).AssemblyQualifiedName}"
        akka.persistence.snapshot-store.sql.class = "{typeof(SqlSnapshotStore).AssemblyQualifiedName}"
        """;
}

/// <summary>FleetHealth's stores, as the server configures them.</summary>
public sealed class BatchedRecoveryStoreTests(MigratedDatabase database, ITestOutputHelper output) : RecoveryStoreSpec(database, output), IClassFixture<MigratedDatabase>
{
    protected override string Stores => "";
}
