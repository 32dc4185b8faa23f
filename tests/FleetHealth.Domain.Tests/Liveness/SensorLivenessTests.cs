using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using static FleetHealth.Domain.Liveness.LivenessStatus;

namespace FleetHealth.Domain.Tests.Liveness;

public sealed class SensorLivenessTests
{
    private static readonly TimeSpan LateAfter = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public void A_first_heartbeat_registers_the_sensor_and_makes_it_healthy()
    {
        var t = new SensorTimeline();

        Assert.Equal(HeartbeatDecision.Accepted, t.Beat());

        Assert.IsType<SensorRegistered>(t.Events[0]);
        Assert.Equal(Healthy, t.State.Status);
        Assert.Equal(SensorTimeline.T0, t.State.FirstSeen);
        Assert.Equal(1, t.State.HeartbeatCount);
    }

    [Fact]
    public void An_unknown_sensor_is_refused_when_the_fleet_does_not_auto_register()
    {
        var t = new SensorTimeline(autoRegister: false);

        Assert.Equal(HeartbeatDecision.UnknownSensor, t.Beat());
        Assert.Empty(t.Events);
    }

    [Fact]
    public void A_sensor_is_still_healthy_one_tick_before_interval_plus_grace_and_late_exactly_at_it()
    {
        var t = new SensorTimeline();
        t.Beat();

        t.Advance(LateAfter - Tick);
        Assert.Equal(Healthy, t.State.Status);

        t.Advance(Tick);
        Assert.Equal(Late, t.State.Status);
        Assert.Equal(SensorTimeline.T0 + LateAfter, t.State.StatusSince);
    }

    [Fact]
    public void Sensor_goes_stale_after_ten_silent_minutes_and_dead_after_seven_days()
    {
        var t = new SensorTimeline();
        t.Beat();

        t.Advance(TimeSpan.FromMinutes(10) - Tick);
        Assert.Equal(Late, t.State.Status);
        t.Advance(Tick);
        Assert.Equal(Stale, t.State.Status);

        t.AdvanceTo(SensorTimeline.T0 + TimeSpan.FromDays(7) - Tick);
        Assert.Equal(Stale, t.State.Status);
        t.Advance(Tick);
        Assert.Equal(Dead, t.State.Status);
        Assert.Null(SensorLiveness.NextDeadline(t.State, t.Policy));
        Assert.Equal([Registered, Healthy, Late, Stale], t.Transitions.Select(c => c.From));
    }

    [Fact]
    public void Deadlines_are_announced_in_order_then_none_once_dead()
    {
        var t = new SensorTimeline();
        t.Beat();
        var deadlines = new List<DateTimeOffset>();

        while (SensorLiveness.NextDeadline(t.State, t.Policy) is { } next)
        {
            deadlines.Add(next);
            t.AdvanceTo(next);
        }

        Assert.Equal([SensorTimeline.T0 + LateAfter, SensorTimeline.T0.AddMinutes(10), SensorTimeline.T0.AddDays(7)], deadlines);
    }

    [Fact]
    public void A_node_outage_yields_each_missed_transition_at_its_true_deadline()
    {
        var t = new SensorTimeline();
        t.Beat();

        t.Outage(TimeSpan.FromMinutes(30));
        t.FireDue();

        var changes = t.Transitions.Skip(1).ToList();
        Assert.Equal([Late, Stale], changes.Select(c => c.To));
        Assert.Equal([SensorTimeline.T0 + LateAfter, SensorTimeline.T0.AddMinutes(10)], changes.Select(c => c.At));
    }

    [Fact]
    public void Stale_never_comes_before_late_for_a_sensor_with_a_long_interval()
    {
        var t = new SensorTimeline(new LivenessPolicy { DefaultInterval = TimeSpan.FromHours(1) });
        t.Beat();

        t.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(Healthy, t.State.Status);

        t.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(30));
        Assert.Equal(Stale, t.State.Status);
        Assert.Equal((Healthy, Stale), (t.Transitions.Last().From, t.Transitions.Last().To));
    }

    [Fact]
    public void A_fault_report_shows_at_once_and_an_ok_beat_clears_it()
    {
        var t = new SensorTimeline();
        t.Beat();

        t.Advance(TimeSpan.FromSeconds(60));
        t.Beat(status: ReportedStatus.Fault);
        Assert.Equal(Fault, t.State.Status);
        Assert.Equal(t.Now, t.State.StatusSince);

        t.Advance(TimeSpan.FromSeconds(60));
        t.Beat();
        Assert.Equal(Healthy, t.State.Status);
    }

    [Fact]
    public void A_silent_faulty_sensor_still_goes_late()
    {
        var t = new SensorTimeline();
        t.Beat(status: ReportedStatus.Fault);

        t.Advance(LateAfter);

        Assert.Equal(Late, t.State.Status);
    }

    [Fact]
    public void A_flapping_sensor_stays_late_instead_of_bouncing_on_every_beat()
    {
        var t = new SensorTimeline();
        t.Beat();
        for (var i = 0; i < 8; i++)
        {
            t.Advance(TimeSpan.FromSeconds(120)); // every other beat missed
            t.Beat();
        }

        Assert.Equal(Late, t.State.Status);
        Assert.Equal(1, t.Transitions.Count(c => c.From == Late && c.To == Healthy));
    }

    [Fact]
    public void A_single_missed_beat_heals_with_the_next_beat()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Advance(TimeSpan.FromSeconds(120)); // the beat due at 60 s never came; the one due at 120 s is this one
        Assert.Equal(Late, t.State.Status);

        t.Beat();

        Assert.Equal(Healthy, t.State.Status);
    }

    [Fact]
    public void A_sensor_back_from_an_outage_is_late_until_it_has_beaten_steadily()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(Stale, t.State.Status);

        var statuses = new List<LivenessStatus>();
        for (var i = 0; i < 5; i++)
        {
            t.Beat();
            statuses.Add(t.State.Status);
            t.Advance(TimeSpan.FromSeconds(60));
        }

        Assert.Equal([Late, Late, Late, Healthy, Healthy], statuses);
    }

    [Fact]
    public void A_repeated_sequence_number_is_acknowledged_and_counted_once()
    {
        var t = new SensorTimeline();
        t.Beat(sequence: 5);
        var events = t.Events.Count;

        Assert.Equal(HeartbeatDecision.Duplicate, t.Beat(sequence: 5));
        Assert.Equal(events, t.Events.Count);
        Assert.Equal(1, t.State.HeartbeatCount);
    }

    [Fact]
    public void Sequence_gaps_count_lost_beats_and_a_late_arrival_gives_one_back()
    {
        var t = new SensorTimeline();
        t.Beat(sequence: 1);
        t.Beat(sequence: 5);
        Assert.Equal(3, t.State.LostBeats);

        t.Beat(sequence: 3);
        Assert.Equal(2, t.State.LostBeats);
        Assert.Equal(HeartbeatDecision.Duplicate, t.Beat(sequence: 3));
        Assert.Equal(3, t.State.HeartbeatCount);
    }

    [Fact]
    public void A_counter_back_at_zero_is_a_reboot_not_a_duplicate_or_a_loss()
    {
        var t = new SensorTimeline();
        t.Beat(sequence: 0);
        t.Beat(sequence: 1);
        t.Beat(sequence: 2);

        Assert.Equal(HeartbeatDecision.Accepted, t.Beat(sequence: 0));
        Assert.Equal(HeartbeatDecision.Accepted, t.Beat(sequence: 1));
        Assert.Equal(0, t.State.LostBeats);
        Assert.Equal(HeartbeatDecision.Duplicate, t.Beat(sequence: 1));
    }

    [Fact]
    public void A_sent_at_far_in_the_future_is_kept_but_flagged_and_never_used_for_liveness()
    {
        var t = new SensorTimeline();

        t.Beat(sentAt: SensorTimeline.T0.AddHours(3));

        var beat = Assert.Single(t.Events.OfType<HeartbeatRecorded>());
        Assert.True(beat.SkewFlagged);
        Assert.Equal(SensorTimeline.T0.AddHours(3), beat.SentAt);
        Assert.Equal(SensorTimeline.T0, t.State.LastSeen);
        Assert.Equal(1, t.State.SkewedBeats);
    }

    [Fact]
    public void A_retired_sensor_has_no_deadlines_and_beats_do_not_revive_it()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Retire();

        Assert.Equal(Retired, t.State.Status);
        Assert.Null(SensorLiveness.NextDeadline(t.State, t.Policy));
        t.Beat();
        Assert.Equal(Retired, t.State.Status);
        Assert.Equal(2, t.State.HeartbeatCount);
        Assert.Empty(SensorLiveness.Retire(t.State, t.Now));
    }

    [Fact]
    public void A_reactivated_sensor_is_watched_again_from_the_moment_of_reactivation()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Retire();
        t.Advance(TimeSpan.FromDays(30));

        t.Reactivate();

        Assert.Equal(Healthy, t.State.Status);
        Assert.Null(t.State.RetiredAt);
        Assert.Equal(t.Now + LateAfter, SensorLiveness.NextDeadline(t.State, t.Policy));
    }

    [Fact]
    public void Per_sensor_settings_beat_tag_settings_which_beat_the_fleet_default()
    {
        var policy = new LivenessPolicy
        {
            Tags = new Dictionary<string, TagSettings> { ["slow"] = new(TimeSpan.FromMinutes(5), null), ["z-fast"] = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)) },
        };

        Assert.Equal(new BeatSettings(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1)), policy.Resolve(new SensorSettings(null, null, ["slow", "z-fast"])));
        Assert.Equal(new BeatSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)), policy.Resolve(new SensorSettings(TimeSpan.FromSeconds(10), null, ["slow", "z-fast"])));
        Assert.Equal(new BeatSettings(policy.DefaultInterval, policy.DefaultGrace), policy.Resolve(SensorSettings.Inherit));
    }

    [Fact]
    public void Shortening_the_interval_of_a_silent_sensor_makes_it_late_at_once()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Advance(TimeSpan.FromSeconds(30));

        t.Settings(new SensorSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), ["b", "a", "b"]));

        Assert.Equal(Late, t.State.Status);
        Assert.Equal(SensorTimeline.T0.AddSeconds(15), t.State.StatusSince);
        Assert.Equal(["a", "b"], t.State.Settings.Tags);
    }

    [Fact]
    public void Interval_statistics_follow_the_gaps_between_beats()
    {
        var t = new SensorTimeline();
        foreach (var gap in new[] { 0, 50, 60, 70 })
        {
            t.Advance(TimeSpan.FromSeconds(gap));
            t.Beat();
        }

        Assert.Equal(3, t.State.Intervals.Count);
        Assert.Equal(60, t.State.Intervals.MeanSeconds, 9);
        Assert.Equal(10, t.State.Intervals.StdDevSeconds, 9);
    }
}
