using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Tests.Liveness;

/// <summary>The pure rules of per-tag settings: resolution order, and a change of rules under a silent sensor.</summary>
public sealed class TagSettingsRulesTests
{
    private static readonly LivenessPolicy Fleet = new() { DefaultInterval = TimeSpan.FromSeconds(60), DefaultGrace = TimeSpan.FromSeconds(30) };
    private static readonly SensorId Id = SensorId.TryParse("tag-rules", out var id, out _) ? id : throw new InvalidOperationException();

    private static LivenessPolicy WithTags(params (string Tag, double? Interval, double? Grace)[] tags) => Fleet.WithTags(
        tags.ToDictionary(t => t.Tag, t => new TagSettings(BeatSettingsValidation.ToTimeSpan(t.Interval), BeatSettingsValidation.ToTimeSpan(t.Grace)), StringComparer.Ordinal));

    [Fact]
    public void The_sensors_own_setting_wins_over_its_tags_and_the_fleet()
    {
        var policy = WithTags(("a", 10, 1));

        var resolved = policy.Explain(new SensorSettings(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), ["a"]));

        Assert.Equal(new BeatSettings(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2)), resolved.Settings);
        Assert.Equal((SettingSource.Sensor, SettingSource.Sensor), (resolved.IntervalSource, resolved.GraceSource));
    }

    [Fact]
    public void Tags_are_consulted_in_ordinal_order_and_each_value_resolves_on_its_own()
    {
        // "B" < "a" < "b" in ordinal order; "B" sets only a grace, "a" both, "b" only an interval.
        var policy = WithTags(("B", null, 7), ("a", 20, 3), ("b", 40, null));

        var resolved = policy.Explain(new SensorSettings(null, null, ["B", "a", "b"]));

        Assert.Equal(new BeatSettings(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(7)), resolved.Settings);
        Assert.Equal((SettingSource.FromTag("a"), SettingSource.FromTag("B")), (resolved.IntervalSource, resolved.GraceSource));
    }

    [Fact]
    public void A_value_no_tag_sets_comes_from_the_fleet()
    {
        var policy = WithTags(("a", 20, null));

        var own = policy.Explain(new SensorSettings(null, TimeSpan.FromSeconds(4), ["a", "untagged-elsewhere"]));
        var bare = policy.Explain(SensorSettings.Inherit);

        Assert.Equal((TimeSpan.FromSeconds(20), SettingSource.FromTag("a"), TimeSpan.FromSeconds(4), SettingSource.Sensor),
            (own.Settings.Interval, own.IntervalSource, own.Settings.Grace, own.GraceSource));
        Assert.Equal((Fleet.DefaultInterval, SettingSource.Fleet, Fleet.DefaultGrace, SettingSource.Fleet),
            (bare.Settings.Interval, bare.IntervalSource, bare.Settings.Grace, bare.GraceSource));
        Assert.Equal(bare.Settings, policy.Resolve(SensorSettings.Inherit));
    }

    [Fact]
    public void A_shortened_interval_whose_deadline_is_already_past_turns_the_sensor_late_stamped_at_that_deadline()
    {
        var before = WithTags(("bay", 60, 30));
        var after = WithTags(("bay", 10, 5));
        var state = Drive(before, out var t0);
        var now = t0.AddSeconds(50);
        Assert.Empty(SensorLiveness.OnTimer(state, now, before));

        var events = SensorLiveness.OnTimer(state, now, after);

        var late = Assert.IsType<StatusChanged>(Assert.Single(events));
        Assert.Equal((LivenessStatus.Healthy, LivenessStatus.Late, t0.AddSeconds(15)), (late.From, late.To, late.At));
        Assert.Equal(t0.AddMinutes(10), SensorLiveness.NextDeadline(state.Apply(late), after));
    }

    [Fact]
    public void A_shortened_interval_whose_deadline_is_still_ahead_moves_the_next_deadline_and_changes_nothing_yet()
    {
        var before = WithTags(("bay", 60, 30));
        var after = WithTags(("bay", 20, 5));
        var state = Drive(before, out var t0);

        Assert.Empty(SensorLiveness.OnTimer(state, t0.AddSeconds(10), after));
        Assert.Equal(t0.AddSeconds(90), SensorLiveness.NextDeadline(state, before));
        Assert.Equal(t0.AddSeconds(25), SensorLiveness.NextDeadline(state, after));
    }

    [Fact]
    public void A_longer_interval_does_not_take_back_a_transition_already_made()
    {
        var before = WithTags(("bay", 10, 0));
        var state = Drive(before, out var t0);
        foreach (var e in SensorLiveness.OnTimer(state, t0.AddSeconds(20), before))
        {
            state = state.Apply(e);
        }

        Assert.Equal(LivenessStatus.Late, state.Status);
        Assert.Empty(SensorLiveness.OnTimer(state, t0.AddSeconds(30), WithTags(("bay", 3600, 0))));
    }

    /// <summary>A sensor tagged "bay" that beat once at t0.</summary>
    private static SensorState Drive(LivenessPolicy policy, out DateTimeOffset t0)
    {
        t0 = SensorTimeline.T0;
        var state = SensorState.Unknown
            .Apply(new SensorRegistered(t0))
            .Apply(new SettingsChanged(t0, new SensorSettings(null, null, ["bay"])));
        foreach (var e in SensorLiveness.OnHeartbeat(state, new Heartbeat(Id, t0), policy, autoRegister: true).Events)
        {
            state = state.Apply(e);
        }

        Assert.Equal(LivenessStatus.Healthy, state.Status);
        return state;
    }
}
