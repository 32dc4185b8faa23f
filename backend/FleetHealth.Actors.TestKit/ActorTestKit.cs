using Xunit;

namespace FleetHealth.Actors.TestKit;

/// <summary>
/// Base class for xunit actor tests: a fresh <see cref="ActorSystem"/> per test on a
/// <see cref="VirtualClock"/> (timers fire only when the test advances time), probes, and
/// disposal of the system after the test.
/// </summary>
public abstract class ActorTestKit : IAsyncLifetime
{
    /// <summary>Creates the system; <paramref name="settings"/> may set a journal, passivation, etc. (its clock is replaced).</summary>
    protected ActorTestKit(ActorSystemSettings? settings = null)
    {
        Clock = new VirtualClock();
        Sys = new ActorSystem("test", (settings ?? new ActorSystemSettings()) with { Clock = Clock });
    }

    /// <summary>The virtual clock driving the system's timers.</summary>
    public VirtualClock Clock { get; }

    /// <summary>The system under test.</summary>
    public ActorSystem Sys { get; }

    /// <summary>A new probe on <see cref="Sys"/>.</summary>
    public TestProbe CreateTestProbe(string id = "probe") => new(Sys, id);

    /// <summary>
    /// Lets every queued message be handled (so timers armed by them are armed), then moves virtual time
    /// forward: timers due by then fire, in deadline order.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await AwaitQuiescenceAsync();
        Clock.Advance(by);
    }

    /// <summary>Waits until no actor has queued messages and no journal work is in flight; fails after <paramref name="within"/>.</summary>
    public async Task AwaitQuiescenceAsync(TimeSpan? within = null)
    {
        if (!await Sys.WhenQuiescentAsync(within ?? TestProbe.DefaultWait))
        {
            Assert.Fail("The actor system did not become quiescent.");
        }
    }

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync() => await Sys.DisposeAsync();
}
