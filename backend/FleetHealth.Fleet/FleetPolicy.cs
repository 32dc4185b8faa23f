using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// This node's liveness rules in force: the configured fleet rules plus the per-tag settings last
/// loaded from the database. Sensor actors read <see cref="Current"/> for every decision and hand it
/// to the pure rules, so the state machine never does I/O and never holds a stale copy.
/// </summary>
/// <remarks>
/// Guarantees: <see cref="Current"/> is swapped atomically (a reader sees the old or the new rules,
/// never a mix); <see cref="ReplaceTags"/> calls are serialised and each reports exactly the tags
/// whose settings differ from the rules it replaced, so every change is announced once.
/// </remarks>
public sealed class FleetPolicy
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LivenessPolicy _current;

    private FleetPolicy(LivenessPolicy rules, bool loaded)
    {
        _current = rules;
        if (loaded)
        {
            _loaded.TrySetResult();
        }
    }

    /// <summary>The rules now in force.</summary>
    public LivenessPolicy Current => _current;

    /// <summary>True once the tag settings were loaded (before that, decisions would ignore them).</summary>
    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Completes when the tag settings were first loaded.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Rules whose tag settings come from the database: not loaded until the first <see cref="ReplaceTags"/>.</summary>
    public static FleetPolicy AwaitingTags(LivenessPolicy rules) => new(rules, loaded: false);

    /// <summary>Rules with no database behind them (tests, tools): loaded from the start.</summary>
    public static FleetPolicy Fixed(LivenessPolicy rules) => new(rules, loaded: true);

    /// <summary>Installs <paramref name="tags"/> as the per-tag settings; returns the tags whose settings changed.</summary>
    public IReadOnlySet<string> ReplaceTags(IReadOnlyDictionary<string, TagSettings> tags)
    {
        lock (_lock)
        {
            var before = _current.Tags;
            _current = _current.WithTags(tags);
            _loaded.TrySetResult();
            return ChangedTags(before, tags);
        }
    }

    /// <summary>Tags added, removed or altered between two sets of tag settings.</summary>
    public static IReadOnlySet<string> ChangedTags(IReadOnlyDictionary<string, TagSettings> before, IReadOnlyDictionary<string, TagSettings> after)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (tag, settings) in after)
        {
            if (!before.TryGetValue(tag, out var old) || old != settings)
            {
                changed.Add(tag);
            }
        }

        foreach (var tag in before.Keys)
        {
            if (!after.ContainsKey(tag))
            {
                changed.Add(tag);
            }
        }

        return changed;
    }
}
