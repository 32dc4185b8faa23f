using Akka.Actor;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// The deadline timer: one single-shot timer on the deadline scheduler (the actor system's unless
/// one was given), always set to the next silence deadline. Each arming is numbered, and a tick of an
/// earlier one still in the mailbox is dropped, as Akka's own timers drop a replaced timer's tick.
/// </summary>
public sealed partial class SensorActor
{
    private ICancelable? _deadlineTimer;
    private int _deadlineArming;

    /// <summary>
    /// After recovery: deadlines that passed while nobody owned the sensor are decided now, inside
    /// recovery's turn, so the first command already sees them (commands stay stashed until the
    /// events are written). Otherwise the timer is armed for the next deadline.
    /// </summary>
    private void OnRecovered()
    {
        var missed = SensorLiveness.OnTimer(_state, Now, _rules.Current);
        PersistThenReply(missed, reply: null);
    }

    /// <summary>Sets the timer to the next deadline from the current state, or cancels it when none applies (registered, retired).</summary>
    private void ArmDeadline()
    {
        var deadline = SensorLiveness.NextDeadline(_state, _rules.Current);
        var delay = deadline - Now;
        _deadlineTimer?.Cancel();
        _deadlineTimer = null;
        var arming = ++_deadlineArming;
        if (delay > TimeSpan.Zero)
        {
            _deadlineTimer = (_deadlines ?? Context.System.Scheduler).ScheduleTellOnceCancelable(delay.Value, Self, new DeadlineDue(arming), Self);
            return;
        }

        if (deadline is not null)
        {
            // Already past (the tick came late, or the rules changed): decide on the next turn.
            Self.Tell(new DeadlineDue(arming), Self);
        }
    }

    protected override void PostStop()
    {
        _deadlineTimer?.Cancel();
        base.PostStop();
    }

    /// <summary>The actor's own timer message: a liveness deadline may have passed. Never leaves the actor.</summary>
    private sealed record DeadlineDue(int Arming);
}
