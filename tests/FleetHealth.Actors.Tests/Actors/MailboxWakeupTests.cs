using System.Diagnostics;
using System.Runtime.CompilerServices;
using FleetHealth.Actors.TestKit;

namespace FleetHealth.Actors.Tests.Actors;

/// <summary>
/// The mailbox's hand-over between a producer and a consumer that is going idle: every message
/// posted from another thread must wake the actor, however the two threads interleave.
/// </summary>
public sealed class MailboxWakeupTests : ActorTestKit
{
    private sealed class Tally(StrongBox<long> handled) : ActorBase
    {
        protected override void OnReceive(object message) => Interlocked.Increment(ref handled.Value);
    }

    [Fact]
    public void A_message_posted_while_the_actor_goes_idle_is_never_left_waiting()
    {
        // The producer posts the next message the instant it sees the previous one handled, so the
        // post lands while the actor's turn is ending: the race between "inbox empty, go idle" and
        // "actor busy, no need to schedule". A lost wakeup leaves the message unhandled for good.
        const int Messages = 100_000;
        var handled = new StrongBox<long>();
        var actor = Sys.ActorOf(Props.Create(() => new Tally(handled)));
        var deadline = Stopwatch.StartNew();

        for (var i = 1; i <= Messages; i++)
        {
            actor.Tell(i);
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref handled.Value) < i)
            {
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"message {i} was never handled (lost wakeup)");
                Thread.SpinWait(1);
            }
        }

        Assert.Equal(Messages, Volatile.Read(ref handled.Value));
    }
}
