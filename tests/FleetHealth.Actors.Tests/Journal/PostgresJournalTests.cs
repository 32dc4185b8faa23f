using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Testing;

namespace FleetHealth.Actors.Tests.Journal;

public sealed class PostgresJournalTests(MigratedDatabase database) : JournalContract, IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private readonly PostgresJournal _journal = new(database.DataSource);

    protected override IJournal Journal => _journal;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _journal.DisposeAsync();

    [Fact]
    public async Task Writes_that_arrive_together_share_batches()
    {
        var writes = Enumerable.Range(0, 500)
            .Select(i => _journal.WriteAsync(new AtomicWrite([new PersistentRepr($"batch-{Guid.NewGuid():N}", 1, "m", [1], [])])))
            .ToList();

        await Task.WhenAll(writes);

        Assert.True(_journal.Batches < 500, $"{_journal.Batches} batches for 500 concurrent writes: no group commit");
    }

    [Fact]
    public async Task A_failing_batch_precondition_fails_the_writes_of_the_batch()
    {
        await using var fenced = new PostgresJournal(database.DataSource, new PostgresJournalOptions
        {
            BeforeBatch = (_, _, _, _) => throw new InvalidOperationException("fenced off"),
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            fenced.WriteAsync(new AtomicWrite([new PersistentRepr($"fenced-{Guid.NewGuid():N}", 1, "m", [1], [])])));

        Assert.Equal("fenced off", error.Message);
    }
}
