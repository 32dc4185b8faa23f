using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Testing;

namespace FleetHealth.Actors.Tests.Journal;

public sealed class PostgresSnapshotStoreTests(MigratedDatabase database) : SnapshotStoreContract, IClassFixture<MigratedDatabase>
{
    protected override ISnapshotStore Store { get; } = new PostgresSnapshotStore(database.DataSource);
}
