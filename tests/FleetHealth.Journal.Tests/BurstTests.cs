using Akka.Actor;
using FleetHealth.Coordination;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace FleetHealth.Journal.Tests;

/// <summary>
/// The fleet's write pattern: thousands of resident sensors each persist one event at the same
/// moment. Each test has an actor system of its own (TestKit per test) on the class's database.
/// </summary>
public sealed class BurstTests(MigratedDatabase database, ITestOutputHelper output) : IClassFixture<MigratedDatabase>
{
    private const int Actors = 10_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void With_the_tuned_settings_every_actor_of_a_burst_persists()
    {
        using var kit = new Kit(JournalTestConfig.For(database.ConnectionString), output);
        var outcomes = Burst(kit, "tuned", output);

        Assert.Empty(outcomes.OfType<BurstActor.Failed>().Select(f => f.Cause.Message).Distinct());
        Assert.Empty(outcomes.OfType<BurstActor.Rejected>());
        Assert.Equal(Actors, outcomes.OfType<BurstActor.Persisted>().Count());
    }

    [Fact]
    public async Task With_the_journal_fence_every_actor_of_a_burst_persists_under_its_writers_leases()
    {
        // Every batch of the burst (up to batch-size rows from sensors on all shards) is checked
        // against the 100 leases, locking them by all concurrent batches at once.
        var fence = new JournalFence(JournalFence.NewWriter(), "burst", "sensor", 100);
        await using (var leases = database.DataSource.CreateCommand("""
            INSERT INTO akka.leases (name, owner, writer, epoch, acquired_at, expires_at)
            SELECT $1 || s, 'burst', $2, 1, clock_timestamp(), clock_timestamp() + interval '1 hour' FROM generate_series(0, 99) s
            """))
        {
            leases.Parameters.Add(new NpgsqlParameter { Value = fence.LeasePrefix });
            leases.Parameters.Add(new NpgsqlParameter { Value = fence.Writer });
            await leases.ExecuteNonQueryAsync();
        }

        using var kit = new Kit(JournalTestConfig.For(database.ConnectionString, fence: fence), output);
        var outcomes = Burst(kit, "sensor/fenced", output);

        Assert.Empty(outcomes.OfType<BurstActor.Failed>().Select(f => f.Cause.Message).Distinct());
        Assert.Empty(outcomes.OfType<BurstActor.Rejected>());
        Assert.Equal(Actors, outcomes.OfType<BurstActor.Persisted>().Count());
    }

    [Fact]
    public void With_the_plugins_default_buffer_size_a_burst_fails_persists_for_a_full_buffer_and_then_an_open_circuit_breaker()
    {
        // The plugin's reference.conf values for the four write settings we tune.
        var defaults = new AkkaJournalOptions { BufferSize = 5_000, BatchSize = 100, DbRoundTripMaxBatchSize = 1_000, Parallelism = 3 };
        using var kit = new Kit(JournalTestConfig.For(database.ConnectionString, defaults), output);
        var outcomes = Burst(kit, "default", output);

        var failed = outcomes.OfType<BurstActor.Failed>().ToList();
        output.WriteLine($"persisted {outcomes.OfType<BurstActor.Persisted>().Count()}, failed {failed.Count}, rejected {outcomes.OfType<BurstActor.Rejected>().Count()}");
        foreach (var group in failed.GroupBy(f => f.Cause.GetType().Name + ": " + f.Cause.Message))
        {
            output.WriteLine($"  {group.Count()} × {group.Key}");
        }

        // Observed: the overflow is not a rejection (the actor would go on) but a write failure, which
        // stops the actor and counts against the journal's circuit breaker; once it opens, later writes
        // fail fast with it. Every event that was not persisted failed for one of those two reasons.
        Assert.Empty(outcomes.OfType<BurstActor.Rejected>());
        Assert.Contains(failed, f => f.Cause.Message.Contains("the queue buffer was full (5000 elements)", StringComparison.Ordinal));
        Assert.All(failed, f => Assert.True(
            f.Cause.Message.Contains("the queue buffer was full", StringComparison.Ordinal) || f.Cause is Akka.Pattern.OpenCircuitException,
            f.Cause.ToString()));
        Assert.Equal(Actors, outcomes.OfType<BurstActor.Persisted>().Count() + failed.Count);
    }

    /// <summary>Starts the actors, waits until all have recovered, then sends Go to all at once; returns one outcome each.</summary>
    private static List<object> Burst(Kit kit, string prefix, ITestOutputHelper output)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = kit.CreateTestProbe();
        var actors = Enumerable.Range(0, Actors)
            .Select(i => kit.Sys.ActorOf(BurstActor.Props($"{prefix}-{i}", report.Ref)))
            .ToList();
        report.ReceiveN(Actors, Timeout);
        output.WriteLine($"{Actors} actors recovered in {clock.ElapsedMilliseconds} ms");
        clock.Restart();

        foreach (var actor in actors)
        {
            actor.Tell(BurstActor.Go.Instance);
        }

        List<object> outcomes = [.. report.ReceiveN(Actors, Timeout)];
        output.WriteLine($"burst of {Actors} persists answered in {clock.ElapsedMilliseconds} ms");
        return outcomes;
    }

    private sealed class Kit(Akka.Configuration.Config config, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(config, output: output)
    {
    }
}
