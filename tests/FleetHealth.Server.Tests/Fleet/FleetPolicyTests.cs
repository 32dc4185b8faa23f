using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Tests.Fleet;

/// <summary>The node's rules in force: which tags a replacement of the per-tag settings announces.</summary>
public sealed class FleetPolicyTests
{
    private static readonly LivenessPolicy Fleet = new() { DefaultInterval = TimeSpan.FromSeconds(60), DefaultGrace = TimeSpan.FromSeconds(30) };

    private static LivenessPolicy WithTags(params (string Tag, double? Interval, double? Grace)[] tags) => Fleet.WithTags(
        tags.ToDictionary(t => t.Tag, t => new TagSettings(BeatSettingsValidation.ToTimeSpan(t.Interval), BeatSettingsValidation.ToTimeSpan(t.Grace)), StringComparer.Ordinal));

    [Fact]
    public void The_changed_tags_are_those_added_removed_or_altered()
    {
        var policy = FleetPolicy.Fixed(Fleet);
        Assert.Equal(["a", "b"], policy.ReplaceTags(WithTags(("a", 10, null), ("b", 20, 2)).Tags).Order());

        var changed = policy.ReplaceTags(WithTags(("a", 10, null), ("b", 20, 3), ("c", 5, null)).Tags);

        Assert.Equal(["b", "c"], changed.Order());
        Assert.Equal(["a", "b", "c"], policy.ReplaceTags(new Dictionary<string, TagSettings>()).Order());
    }
}
