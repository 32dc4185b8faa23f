namespace FleetHealth.Actors;

/// <summary>
/// The named timers of one actor (Akka's <c>ITimerScheduler</c>). A timer sends its message to the
/// actor itself, with no sender. Starting a timer with a key that is already armed replaces it.
/// After <see cref="Cancel"/>, a restart or a stop, no message of the old arming is delivered, even
/// if it was already queued. Use only on the actor's own turn (inside its handlers).
/// </summary>
/// <remarks>All timers live on the system's single timing wheel; resolution is <see cref="ActorSystemSettings.TimerTick"/>.</remarks>
public readonly struct TimerScheduler
{
    private readonly ActorCell _cell;

    internal TimerScheduler(ActorCell cell) => _cell = cell;

    /// <summary>Sends <paramref name="message"/> once, after <paramref name="delay"/>.</summary>
    public void StartSingleTimer(object key, object message, TimeSpan delay) => _cell.StartTimer(key, message, delay, TimeSpan.Zero);

    /// <summary>Sends <paramref name="message"/> every <paramref name="interval"/>, the first time after one interval.</summary>
    public void StartPeriodicTimer(object key, object message, TimeSpan interval) => StartPeriodicTimer(key, message, interval, interval);

    /// <summary>Sends <paramref name="message"/> after <paramref name="initialDelay"/>, then every <paramref name="interval"/> (fixed delay).</summary>
    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "A periodic timer needs a positive interval.");
        }

        _cell.StartTimer(key, message, initialDelay, interval);
    }

    /// <summary>True while the timer with this key is armed (a single shot stops being active once delivered).</summary>
    public bool IsTimerActive(object key) => _cell.FindTimer(key) is not null;

    /// <summary>Cancels the timer with this key, if any.</summary>
    public void Cancel(object key) => _cell.CancelTimer(key);

    /// <summary>Cancels every timer of this actor.</summary>
    public void CancelAll() => _cell.CancelAllTimers();
}
