namespace FleetHealth.Server.Live;

/// <summary>
/// Collects change notifications between two batches: a set of changed sensor ids (a sensor that
/// changed 50 times in the period is read once, as it is now) and the transitions, keeping the
/// newest <c>maxTransitions</c> and counting the rest. Thread-safe.
/// </summary>
internal sealed class ChangeCoalescer(int maxTransitions)
{
    private readonly Lock _lock = new();
    private HashSet<string> _sensors = new(StringComparer.Ordinal);
    private Queue<LiveTransition> _transitions = new();
    private int _dropped;

    public void AddSensors(IEnumerable<string> sensorIds)
    {
        lock (_lock)
        {
            _sensors.UnionWith(sensorIds);
        }
    }

    public void AddTransitions(IEnumerable<LiveTransition> transitions)
    {
        lock (_lock)
        {
            foreach (var transition in transitions)
            {
                _sensors.Add(transition.SensorId);
                _transitions.Enqueue(transition);
                if (_transitions.Count > maxTransitions)
                {
                    _transitions.Dequeue();
                    _dropped++;
                }
            }
        }
    }

    /// <summary>Takes everything collected so far and starts afresh.</summary>
    public ChangeBatch Drain()
    {
        lock (_lock)
        {
            var batch = new ChangeBatch([.. _sensors], [.. _transitions.OrderBy(t => t.Id)], _dropped);
            _sensors = new HashSet<string>(StringComparer.Ordinal);
            _transitions = new Queue<LiveTransition>();
            _dropped = 0;
            return batch;
        }
    }
}

/// <summary>What changed in one period.</summary>
internal sealed record ChangeBatch(IReadOnlyList<string> SensorIds, IReadOnlyList<LiveTransition> Transitions, int TransitionsDropped)
{
    public bool IsEmpty => SensorIds.Count == 0 && Transitions.Count == 0;
}
