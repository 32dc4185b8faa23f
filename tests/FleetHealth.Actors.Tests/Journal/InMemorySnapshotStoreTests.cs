using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Journal;

public sealed class InMemorySnapshotStoreTests : SnapshotStoreContract
{
    protected override ISnapshotStore Store { get; } = new InMemorySnapshotStore();
}
