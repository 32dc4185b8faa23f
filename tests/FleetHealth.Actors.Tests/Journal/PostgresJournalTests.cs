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

    [Fact]
    public async Task A_precondition_that_refuses_some_writes_fails_only_those_and_stores_the_rest()
    {
        var refusedId = $"lost-{Guid.NewGuid():N}";
        var keptId = $"kept-{Guid.NewGuid():N}";
        var seen = 0;
        await using var fenced = new PostgresJournal(database.DataSource, new PostgresJournalOptions
        {
            BeforeBatch = (_, _, batch, _) =>
            {
                Interlocked.Add(ref seen, batch.Count);
                return ValueTask.FromResult<IReadOnlyList<RefusedWrite>>(
                    [.. batch.Where(w => w.PersistenceId == refusedId).Select(w => new RefusedWrite(w, new InvalidOperationException("lease lost")))]);
            },
        });

        var refused = fenced.WriteAsync(new AtomicWrite([new PersistentRepr(refusedId, 1, "m", [1], [])]));
        var kept = fenced.WriteAsync(new AtomicWrite([new PersistentRepr(keptId, 1, "m", [1], []), new PersistentRepr(keptId, 2, "m", [2], [])]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => refused);
        await kept;
        Assert.Equal("lease lost", error.Message);
        Assert.Equal(2, await fenced.ReadHighestSequenceNrAsync(keptId));
        Assert.Equal(0, await fenced.ReadHighestSequenceNrAsync(refusedId));
        Assert.True(seen >= 2, "the precondition saw both writes");
    }

    [Fact]
    public async Task A_refused_write_is_not_retried_when_its_batch_collides_with_another_writer()
    {
        var refusedId = $"lost-{Guid.NewGuid():N}";
        var takenId = $"taken-{Guid.NewGuid():N}";
        await _journal.WriteAsync(new AtomicWrite([new PersistentRepr(takenId, 1, "m", [1], [])]));
        var blockerId = $"blocker-{Guid.NewGuid():N}";
        var gate = new TaskCompletionSource();
        var batches = new List<int>();
        await using var fenced = new PostgresJournal(database.DataSource, new PostgresJournalOptions
        {
            BeforeBatch = async (_, _, batch, _) =>
            {
                if (batch.Any(w => w.PersistenceId == blockerId))
                {
                    await gate.Task;
                }

                lock (batches)
                {
                    batches.Add(batch.Count);
                }

                return [.. batch.Where(w => w.PersistenceId == refusedId).Select(w => new RefusedWrite(w, new InvalidOperationException("lease lost")))];
            },
        });

        // The blocker holds the writer, so the next two writes queue up and share one batch.
        var blocker = fenced.WriteAsync(new AtomicWrite([new PersistentRepr(blockerId, 1, "m", [1], [])]));
        await Eventually.Until(() => Task.FromResult(fenced.Batches), n => n == 1, because: "the writer takes the blocker");
        var refused = fenced.WriteAsync(new AtomicWrite([new PersistentRepr(refusedId, 1, "m", [1], [])]));
        var colliding = fenced.WriteAsync(new AtomicWrite([new PersistentRepr(takenId, 1, "m", [9], [])]));
        gate.SetResult();
        await blocker;

        await Assert.ThrowsAsync<InvalidOperationException>(() => refused);
        await Assert.ThrowsAsync<JournalConflictException>(() => colliding);
        Assert.Equal(0, await fenced.ReadHighestSequenceNrAsync(refusedId));
        Assert.Contains(2, batches);
    }
}
