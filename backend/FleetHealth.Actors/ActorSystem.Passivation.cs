namespace FleetHealth.Actors;

/// <summary>
/// Idle passivation by a periodic sweep on the timing wheel instead of one timer per actor: actors
/// pay only one long (the tick of their last user message), the sweep costs O(actors) per period.
/// </summary>
public sealed partial class ActorSystem
{
    private int _sweeping;

    internal long PassivationIdleTicks { get; private set; } = long.MaxValue;

    private void StartPassivation()
    {
        if (Settings.PassivationIdleTimeout is not { } timeout)
        {
            return;
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Settings), "PassivationIdleTimeout must be positive.");
        }

        PassivationIdleTicks = Wheel.TicksOf(timeout);
        var period = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, Settings.TimerTick.Ticks));
        Wheel.Schedule(new CallbackEntry(SweepSoon), period, period);
    }

    private void SweepSoon()
    {
        if (Interlocked.CompareExchange(ref _sweeping, 1, 0) == 0)
        {
            OnScheduled();
            ThreadPool.UnsafeQueueUserWorkItem(static system => system.Sweep(), this, preferLocal: false);
        }
    }

    private void Sweep()
    {
        try
        {
            foreach (var cell in _actors.Values)
            {
                if (cell.Props.Passivate && !cell.IsTerminated && cell.IsIdleFor(PassivationIdleTicks))
                {
                    cell.Post(new Envelope(Passivate.Instance, null));
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
            OnIdle();
        }
    }
}
