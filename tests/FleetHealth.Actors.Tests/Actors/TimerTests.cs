using FleetHealth.Actors.TestKit;

namespace FleetHealth.Actors.Tests.Actors;

public sealed class TimerTests : ActorTestKit
{
    private sealed record StartSingle(string Key, TimeSpan Delay);

    private sealed record StartPeriodic(string Key, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed record Fired(string Key);

    private sealed record Crash;

    /// <summary>Arms timers on command and reports each firing to the probe.</summary>
    private sealed class TimerActor(IActorRef probe) : ActorBase
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case StartSingle start:
                    Timers.StartSingleTimer(start.Key, new Fired(start.Key), start.Delay);
                    break;
                case StartPeriodic start:
                    Timers.StartPeriodicTimer(start.Key, new Fired(start.Key), start.Interval);
                    break;
                case CancelTimer cancel:
                    Timers.Cancel(cancel.Key);
                    break;
                case Fired fired:
                    probe.Tell(fired);
                    break;
                case Crash:
                    throw new InvalidOperationException("crash");
            }
        }
    }

    private IActorRef Start(TestProbe probe) => Sys.ActorOf(Props.Create(() => new TimerActor(probe)));

    [Fact]
    public async Task A_single_timer_fires_once_when_virtual_time_reaches_its_delay()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("late", TimeSpan.FromSeconds(90)));

        await AdvanceAsync(TimeSpan.FromSeconds(89));
        await probe.ExpectNoMsgAsync();

        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await probe.ExpectMsgAsync(new Fired("late"));

        await AdvanceAsync(TimeSpan.FromHours(1));
        await probe.ExpectNoMsgAsync();
    }

    [Fact]
    public async Task A_periodic_timer_fires_once_per_interval_of_virtual_time()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartPeriodic("tick", TimeSpan.FromSeconds(10)));

        await AdvanceAsync(TimeSpan.FromSeconds(35));

        Assert.Equal(3, (await probe.ReceiveNAsync(3)).Count);
        await probe.ExpectNoMsgAsync();
    }

    [Fact]
    public async Task Timers_of_one_advance_fire_in_deadline_order()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("dead", TimeSpan.FromDays(7)));
        actor.Tell(new StartSingle("late", TimeSpan.FromMinutes(2)));
        actor.Tell(new StartSingle("stale", TimeSpan.FromMinutes(10)));

        await AdvanceAsync(TimeSpan.FromDays(8));

        Assert.Equal(["late", "stale", "dead"], (await probe.ReceiveNAsync(3)).Cast<Fired>().Select(f => f.Key));
    }

    [Fact]
    public async Task A_cancelled_timer_does_not_fire()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("t", TimeSpan.FromSeconds(5)));
        actor.Tell(new CancelTimer("t"));

        await AdvanceAsync(TimeSpan.FromSeconds(10));

        await probe.ExpectNoMsgAsync();
    }

    [Fact]
    public async Task Rearming_a_key_replaces_its_deadline()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartSingle("t", TimeSpan.FromSeconds(5)));
        await AdvanceAsync(TimeSpan.FromSeconds(4));
        actor.Tell(new StartSingle("t", TimeSpan.FromSeconds(5)));

        await AdvanceAsync(TimeSpan.FromSeconds(4));
        await probe.ExpectNoMsgAsync();

        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await probe.ExpectMsgAsync(new Fired("t"));
    }

    [Fact]
    public async Task Timers_are_cancelled_when_the_actor_restarts()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartPeriodic("t", TimeSpan.FromSeconds(1)));
        actor.Tell(new Crash());

        await AdvanceAsync(TimeSpan.FromSeconds(10));

        await probe.ExpectNoMsgAsync();
        Assert.Equal(0, Sys.Wheel.Count);
    }

    [Fact]
    public async Task Timers_are_cancelled_when_the_actor_stops()
    {
        var probe = CreateTestProbe();
        var actor = Start(probe);
        actor.Tell(new StartPeriodic("t", TimeSpan.FromSeconds(1)));
        await Sys.StopAsync(actor);

        await AdvanceAsync(TimeSpan.FromSeconds(10));

        await probe.ExpectNoMsgAsync();
        Assert.Equal(0, Sys.Wheel.Count);
    }

    [Fact]
    public async Task Many_armed_timers_share_the_wheel_and_each_fires_once()
    {
        var probe = CreateTestProbe();
        const int actors = 2000;
        for (var i = 0; i < actors; i++)
        {
            Start(probe).Tell(new StartSingle($"t{i}", TimeSpan.FromMilliseconds(10 * (i % 500 + 1))));
        }

        await AwaitQuiescenceAsync();
        Assert.Equal(actors, Sys.Wheel.Count);

        await AdvanceAsync(TimeSpan.FromSeconds(6));

        Assert.Equal(actors, (await probe.ReceiveNAsync(actors)).Distinct().Count());
        Assert.Equal(0, Sys.Wheel.Count);
    }
}
