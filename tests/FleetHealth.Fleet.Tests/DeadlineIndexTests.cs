using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet.Tests;

public sealed class DeadlineIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lookahead = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(30);

    // Late after 60 + 30 s, stale after 10 min, dead after 7 days.
    private static readonly LivenessPolicy Rules = new();

    private static readonly SensorSettings NoSettings = new(null, null, []);

    private readonly DeadlineIndex _index = new(Lookahead, Retry);

    [Fact]
    public void A_healthy_sensor_is_due_the_lookahead_before_its_late_deadline_and_not_earlier()
    {
        _index.Observe("s-1", Healthy(T0), Rules);

        Assert.Empty(_index.TakeDue(T0 + TimeSpan.FromSeconds(84), 100));
        Assert.Equal(["s-1"], _index.TakeDue(T0 + TimeSpan.FromSeconds(85), 100));
    }

    [Fact]
    public void A_newer_heartbeat_moves_the_wake_time()
    {
        _index.Observe("s-1", Healthy(T0), Rules);
        _index.Observe("s-1", Healthy(T0 + TimeSpan.FromSeconds(60)), Rules);

        Assert.Empty(_index.TakeDue(T0 + TimeSpan.FromSeconds(100), 100));
        Assert.Equal(["s-1"], _index.TakeDue(T0 + TimeSpan.FromSeconds(145), 100));
    }

    [Fact]
    public void A_woken_sensor_is_due_again_a_retry_after_its_deadline_until_it_is_observed_anew()
    {
        _index.Observe("s-1", Healthy(T0), Rules);
        Assert.Single(_index.TakeDue(T0 + TimeSpan.FromSeconds(85), 100));

        Assert.Empty(_index.TakeDue(T0 + TimeSpan.FromSeconds(119), 100));
        Assert.Equal(["s-1"], _index.TakeDue(T0 + TimeSpan.FromSeconds(120), 100));

        // It turned late: the next deadline is stale, at 10 minutes of silence.
        _index.Observe("s-1", new SensorWatch(LivenessStatus.Late, T0, NoSettings), Rules);
        Assert.Empty(_index.TakeDue(T0 + TimeSpan.FromSeconds(594), 100));
        Assert.Equal(["s-1"], _index.TakeDue(T0 + TimeSpan.FromSeconds(595), 100));
    }

    [Fact]
    public void Dead_retired_and_registered_sensors_have_nothing_to_wait_for()
    {
        _index.Observe("dead", new SensorWatch(LivenessStatus.Dead, T0, NoSettings), Rules);
        _index.Observe("retired", new SensorWatch(LivenessStatus.Retired, T0, NoSettings), Rules);
        _index.Observe("registered", new SensorWatch(LivenessStatus.Registered, null, NoSettings), Rules);
        _index.Observe("was-healthy", Healthy(T0), Rules);
        _index.Observe("was-healthy", new SensorWatch(LivenessStatus.Dead, T0, NoSettings), Rules);

        Assert.Equal(0, _index.Count);
        Assert.Empty(_index.TakeDue(T0 + TimeSpan.FromDays(30), 100));
    }

    [Fact]
    public void A_bulk_load_does_not_overwrite_a_newer_live_observation()
    {
        _index.Observe("s-1", Healthy(T0 + TimeSpan.FromSeconds(60)), Rules);
        _index.ObserveIfAbsent("s-1", Healthy(T0), Rules);
        _index.ObserveIfAbsent("s-2", Healthy(T0), Rules);

        Assert.Equal(["s-2"], _index.TakeDue(T0 + TimeSpan.FromSeconds(85), 100));
    }

    [Fact]
    public void A_shorter_tag_interval_brings_the_deadlines_of_its_sensors_forward()
    {
        var tagged = new SensorWatch(LivenessStatus.Healthy, T0, new SensorSettings(null, null, ["bay"]));
        _index.Observe("tagged", tagged, Rules);
        _index.Observe("other", Healthy(T0), Rules);

        var shorter = Rules.WithTags(new Dictionary<string, TagSettings> { ["bay"] = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)) });
        Assert.Equal(1, _index.Recompute(new HashSet<string> { "bay" }, shorter));

        Assert.Equal(["tagged"], _index.TakeDue(T0 + TimeSpan.FromSeconds(10), 100));
    }

    [Fact]
    public void At_most_the_asked_number_are_taken_earliest_first()
    {
        for (var i = 0; i < 10; i++)
        {
            _index.Observe($"s-{i}", Healthy(T0 + TimeSpan.FromSeconds(i)), Rules);
        }

        Assert.Equal(["s-0", "s-1", "s-2"], _index.TakeDue(T0 + TimeSpan.FromHours(1), 3));
        Assert.Equal(7, _index.TakeDue(T0 + TimeSpan.FromHours(1), 100).Count);
    }

    private static SensorWatch Healthy(DateTimeOffset lastSeen) => new(LivenessStatus.Healthy, lastSeen, NoSettings);
}
