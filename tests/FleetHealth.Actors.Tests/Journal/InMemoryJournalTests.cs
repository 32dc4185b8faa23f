using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Journal;

public sealed class InMemoryJournalTests : JournalContract
{
    protected override IJournal Journal { get; } = new InMemoryJournal();
}
