using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Actors.Tests.Support;
using FleetHealth.Testing;

namespace FleetHealth.Actors.Tests.Persistence;

public sealed class PostgresPersistenceTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Events_and_snapshots_in_PostgreSQL_survive_a_new_actor_system()
    {
        var id = $"pg-{Guid.NewGuid():N}";
        await using (var journal = new PostgresJournal(database.DataSource))
        {
            var settings = new ActorSystemSettings
            {
                Journal = journal,
                SnapshotStore = new PostgresSnapshotStore(database.DataSource),
                Serializer = TestSerialization.Create(),
            };
            await using (var first = new ActorSystem("first", settings))
            {
                var actor = first.GetOrCreate(id, Counter.Props(snapshotEvery: 3));
                await Task.WhenAll(Enumerable.Range(1, 4).Select(i => actor.Ask<Ack>(new Add(i), Wait)));
            }

            await using var second = new ActorSystem("second", settings);
            var total = await second.GetOrCreate(id, Counter.Props()).Ask<Total>(new Get(), Wait);

            Assert.Equal(new Total(10, 4), total);
        }
    }
}
