using FleetHealth.Actors.TestKit;

namespace FleetHealth.Actors.Tests.Actors;

public sealed class ActorTests : ActorTestKit
{
    private sealed record Echo(int Value);

    private sealed record SetState(int Value);

    private sealed record GetState;

    private sealed record Fail;

    /// <summary>Replies with what it got; keeps an int to show that restarts discard state.</summary>
    private sealed class EchoActor : ActorBase
    {
        private int _state;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Echo echo:
                    Sender.Tell(echo, Self);
                    break;
                case SetState set:
                    _state = set.Value;
                    break;
                case GetState:
                    Sender.Tell(_state, Self);
                    break;
                case Fail:
                    throw new InvalidOperationException("asked to fail");
                default:
                    Unhandled(message);
                    break;
            }
        }
    }

    private static Props EchoProps => Props.Create(() => new EchoActor());

    [Fact]
    public async Task Messages_from_one_sender_arrive_in_the_order_they_were_sent()
    {
        var actor = Sys.ActorOf(EchoProps, "echo");
        var probe = CreateTestProbe();

        for (var i = 0; i < 1000; i++)
        {
            actor.Tell(new Echo(i), probe);
        }

        var received = await probe.ReceiveNAsync(1000);
        Assert.Equal(Enumerable.Range(0, 1000), received.Cast<Echo>().Select(e => e.Value));
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var actor = Sys.ActorOf(EchoProps);

        var reply = await actor.Ask<Echo>(new Echo(7), TimeSpan.FromSeconds(5));

        Assert.Equal(new Echo(7), reply);
    }

    [Fact]
    public async Task Ask_without_a_reply_times_out()
    {
        var actor = Sys.ActorOf(EchoProps);

        await Assert.ThrowsAsync<TimeoutException>(() => actor.Ask(new SetState(1), TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Ask_to_a_stopped_actor_fails_at_once_instead_of_timing_out()
    {
        var actor = Sys.ActorOf(EchoProps);
        await Sys.StopAsync(actor);

        await Assert.ThrowsAsync<ActorNotAvailableException>(() => actor.Ask(new Echo(1), TimeSpan.FromMinutes(5)));
        Assert.True(Sys.DeadLetters >= 1);
    }

    [Fact]
    public async Task An_exception_restarts_the_actor_with_fresh_state_counts_the_failure_and_keeps_later_messages()
    {
        var actor = Sys.ActorOf(EchoProps);
        var probe = CreateTestProbe();

        actor.Tell(new SetState(42));
        actor.Tell(new Fail());
        actor.Tell(new GetState(), probe);
        actor.Tell(new Echo(1), probe);

        Assert.Equal(0, await probe.ExpectMsgAsync<int>());
        await probe.ExpectMsgAsync(new Echo(1));
        Assert.Equal(1, Sys.Failures);
        Assert.Equal(1, Sys.Restarts);
    }

    [Fact]
    public async Task An_ask_whose_message_makes_the_actor_fail_fails_at_once()
    {
        var actor = Sys.ActorOf(EchoProps);

        await Assert.ThrowsAsync<ActorNotAvailableException>(() => actor.Ask(new Fail(), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Stop_handles_messages_queued_before_it_and_dead_letters_those_after()
    {
        var actor = Sys.ActorOf(EchoProps, "stopping");
        var probe = CreateTestProbe();

        actor.Tell(new Echo(1), probe);
        var stopped = Sys.StopAsync(actor);
        await stopped;
        actor.Tell(new Echo(2), probe);

        await probe.ExpectMsgAsync(new Echo(1));
        await probe.ExpectNoMsgAsync();
        Assert.False(Sys.TryGet("stopping", out _));
    }

    [Fact]
    public void Ids_are_unique_in_the_registry()
    {
        Sys.ActorOf(EchoProps, "one");

        Assert.Throws<ActorAlreadyExistsException>(() => Sys.ActorOf(EchoProps, "one"));
    }

    [Fact]
    public async Task GetOrCreate_returns_one_incarnation_per_id_even_when_called_concurrently()
    {
        var refs = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => Sys.GetOrCreate("shared", EchoProps))));

        Assert.Single(refs.Distinct());
        Assert.Equal(1, Sys.ActorCount);
    }

    [Fact]
    public async Task Actors_can_be_selected_and_stopped_by_an_id_predicate()
    {
        foreach (var id in new[] { "shard-1/a", "shard-1/b", "shard-2/a" })
        {
            Sys.ActorOf(EchoProps, id);
        }

        Assert.Equal(2, Sys.Select(id => id.StartsWith("shard-1/", StringComparison.Ordinal)).Count);

        await Sys.StopAllAsync(id => id.StartsWith("shard-1/", StringComparison.Ordinal));

        Assert.Equal(["shard-2/a"], Sys.Select(_ => true).Select(a => a.Id));
    }

    [Fact]
    public async Task Unhandled_messages_are_counted_as_dead_letters()
    {
        var actor = Sys.ActorOf(EchoProps);

        actor.Tell("what is this");
        await AwaitQuiescenceAsync();

        Assert.Equal(1, Sys.DeadLetters);
    }
}
