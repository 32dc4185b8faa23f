using FleetHealth.Actors.Tests.Support;
using FleetHealth.Actors.TestKit;

namespace FleetHealth.Actors.Tests.Actors;

public sealed class PassivationTests() : ActorTestKit(new ActorSystemSettings
{
    PassivationIdleTimeout = TimeSpan.FromMinutes(10),
    Serializer = TestSerialization.Create(),
})
{
    [Fact]
    public async Task An_idle_actor_is_passivated_and_the_next_message_recovers_a_new_incarnation()
    {
        var recovery = CreateTestProbe("recovery");
        var actor = Sys.GetOrCreate("counter-1", Counter.Props(recovery));
        await actor.Ask<Ack>(new Add(5), TimeSpan.FromSeconds(5));
        await recovery.ExpectMsgAsync<Total>();

        await AdvanceAsync(TimeSpan.FromMinutes(15));
        await AwaitQuiescenceAsync();

        Assert.Equal(1, Sys.Passivations);
        Assert.False(Sys.TryGet("counter-1", out _));

        var total = await actor.Ask<Total>(new Get(), TimeSpan.FromSeconds(5));
        Assert.Equal(new Total(5, 1), total);
        Assert.True(Sys.TryGet("counter-1", out _));
    }

    [Fact]
    public async Task An_actor_that_keeps_receiving_messages_is_not_passivated()
    {
        var actor = Sys.GetOrCreate("busy", Counter.Props());

        for (var minute = 0; minute < 30; minute++)
        {
            await actor.Ask<Total>(new Get(), TimeSpan.FromSeconds(5));
            await AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        await AwaitQuiescenceAsync();
        Assert.Equal(0, Sys.Passivations);
        Assert.True(Sys.TryGet("busy", out _));
    }

    [Fact]
    public async Task Actors_whose_props_opt_out_are_never_passivated()
    {
        var actor = Sys.GetOrCreate("pinned", Counter.Props().WithPassivation(false));
        await actor.Ask<Total>(new Get(), TimeSpan.FromSeconds(5));

        await AdvanceAsync(TimeSpan.FromHours(2));
        await AwaitQuiescenceAsync();

        Assert.True(Sys.TryGet("pinned", out _));
    }

    [Fact]
    public async Task Messages_racing_with_passivation_are_neither_lost_nor_reordered()
    {
        var props = Counter.Props();
        var probe = CreateTestProbe();
        const int messages = 3000;

        for (var i = 1; i <= messages; i++)
        {
            Sys.GetOrCreate("racer", props).Tell(new Add(1), probe);
            if (i % 100 == 0)
            {
                // Idle long enough, then keep sending while the sweep's Passivate is on its way
                // (every other round lets the passivation finish first, so both paths are taken).
                await AdvanceAsync(TimeSpan.FromMinutes(15));
                if (i % 200 == 0)
                {
                    await AwaitQuiescenceAsync();
                }
            }
        }

        var acks = (await probe.ReceiveNAsync(messages)).Cast<Ack>().ToList();
        Assert.Equal(Enumerable.Range(1, messages), acks.Select(a => a.Total));
        Assert.True(Sys.Passivations > 0, "the test did not passivate the actor at all");
    }
}
