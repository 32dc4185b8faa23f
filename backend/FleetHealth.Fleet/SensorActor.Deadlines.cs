using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>The deadline timer: one single-shot Akka timer, always set to the next silence deadline.</summary>
public sealed partial class SensorActor
{
    private const string DeadlineTimer = "deadline";

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
        if (delay > TimeSpan.Zero)
        {
            // Same key: replaces the previous timer, and Akka drops a tick of the old one still in the mailbox.
            Timers.StartSingleTimer(DeadlineTimer, DeadlineDue.Instance, delay.Value);
            return;
        }

        Timers.Cancel(DeadlineTimer);
        if (deadline is not null)
        {
            // Already past (the tick came late, or the rules changed): decide on the next turn.
            Self.Tell(DeadlineDue.Instance, Self);
        }
    }

    /// <summary>The actor's own timer message: a liveness deadline may have passed. Never leaves the actor.</summary>
    private sealed class DeadlineDue
    {
        public static DeadlineDue Instance { get; } = new();
    }
}
