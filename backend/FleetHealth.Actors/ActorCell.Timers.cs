namespace FleetHealth.Actors;

/// <summary>The actor's named timers: a short list (actors have a handful) instead of a dictionary.</summary>
internal sealed partial class ActorCell
{
    private ActorTimer? _timers;

    internal void StartTimer(object key, object message, TimeSpan delay, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        var timer = FindTimer(key);
        if (timer is null)
        {
            timer = new ActorTimer(this, key) { NextOfOwner = _timers };
            _timers = timer;
        }

        timer.Message = message;
        timer.Active = true;
        System.Wheel.Schedule(timer, delay, interval);
    }

    internal ActorTimer? FindTimer(object key)
    {
        for (var timer = _timers; timer is not null; timer = timer.NextOfOwner)
        {
            if (timer.Key.Equals(key))
            {
                return timer;
            }
        }

        return null;
    }

    internal void CancelTimer(object key)
    {
        var timer = FindTimer(key);
        if (timer is not null)
        {
            RemoveTimer(timer);
        }
    }

    internal void RemoveTimer(ActorTimer timer)
    {
        System.Wheel.Cancel(timer);
        timer.Active = false;
        if (ReferenceEquals(_timers, timer))
        {
            _timers = timer.NextOfOwner;
            return;
        }

        for (var previous = _timers; previous is not null; previous = previous.NextOfOwner)
        {
            if (ReferenceEquals(previous.NextOfOwner, timer))
            {
                previous.NextOfOwner = timer.NextOfOwner;
                return;
            }
        }
    }

    internal void CancelAllTimers()
    {
        for (var timer = _timers; timer is not null; timer = timer.NextOfOwner)
        {
            System.Wheel.Cancel(timer);
            timer.Active = false;
        }

        _timers = null;
    }
}
