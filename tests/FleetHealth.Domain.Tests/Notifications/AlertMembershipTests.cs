using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Notifications;

namespace FleetHealth.Domain.Tests.Notifications;

public sealed class AlertMembershipTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] StaleAndRecovered = [TransitionKinds.Stale, TransitionKinds.Recovered];

    [Fact]
    public void A_listed_firing_transition_makes_a_changed_member_never_sent()
    {
        var member = AlertMembership.Apply(null, "s-1", TransitionKinds.Stale, TransitionKinds.Late, T0, StaleAndRecovered);

        Assert.Equal(new AlertMember("s-1", TransitionKinds.Stale, T0, null, true), member);
    }

    [Fact]
    public void A_transition_the_rule_does_not_list_changes_nothing()
    {
        var sent = new AlertMember("s-1", TransitionKinds.Stale, T0, TransitionKinds.Stale, false);

        Assert.Null(AlertMembership.Apply(null, "s-1", TransitionKinds.Late, null, T0, StaleAndRecovered));
        Assert.Same(sent, AlertMembership.Apply(sent, "s-1", TransitionKinds.Dead, TransitionKinds.Stale, T0, StaleAndRecovered));
    }

    [Fact]
    public void A_recovery_before_the_first_message_cancels_the_members_alert()
    {
        var unsent = new AlertMember("s-1", TransitionKinds.Stale, T0, null, true);

        Assert.Null(AlertMembership.Apply(unsent, "s-1", TransitionKinds.Recovered, TransitionKinds.Stale, T0.AddSeconds(5), StaleAndRecovered));
    }

    [Fact]
    public void A_recovery_after_a_message_is_told_when_the_rule_lists_it_and_dropped_quietly_otherwise()
    {
        var sent = new AlertMember("s-1", TransitionKinds.Stale, T0, TransitionKinds.Stale, false);

        var told = AlertMembership.Apply(sent, "s-1", TransitionKinds.Recovered, TransitionKinds.Stale, T0.AddMinutes(1), StaleAndRecovered);
        var quiet = AlertMembership.Apply(sent, "s-1", TransitionKinds.Recovered, TransitionKinds.Stale, T0.AddMinutes(1), [TransitionKinds.Stale]);

        Assert.Equal(new AlertMember("s-1", TransitionKinds.Recovered, T0.AddMinutes(1), TransitionKinds.Stale, true), told);
        Assert.False(told!.Firing);
        Assert.Null(quiet);
    }

    [Fact]
    public void A_rule_of_recoveries_alone_tells_recoveries_of_sensors_it_never_alerted()
    {
        var member = AlertMembership.Apply(null, "s-1", TransitionKinds.Recovered, TransitionKinds.Late, T0, [TransitionKinds.Recovered]);

        Assert.Equal(TransitionKinds.Recovered, member!.Status);
    }

    [Fact]
    public void Changes_inside_the_group_wait_keep_the_first_flush_time_and_later_ones_wait_for_the_group_interval()
    {
        var flush = T0.AddSeconds(30);
        var interval = TimeSpan.FromMinutes(5);

        Assert.Equal(flush, AlertMembership.NextFlushAfterChange(flush, null, T0.AddSeconds(10), interval));
        Assert.Equal(T0.AddMinutes(5), AlertMembership.NextFlushAfterChange(T0.AddHours(4), T0, T0.AddMinutes(1), interval));
        Assert.Equal(T0.AddMinutes(7), AlertMembership.NextFlushAfterChange(T0.AddHours(4), T0, T0.AddMinutes(7), interval));
    }

    [Theory]
    [InlineData(LivenessStatus.Healthy, LivenessStatus.Stale, TransitionKinds.Stale)]
    [InlineData(LivenessStatus.Stale, LivenessStatus.Healthy, TransitionKinds.Recovered)]
    [InlineData(LivenessStatus.Fault, LivenessStatus.Healthy, TransitionKinds.Recovered)]
    [InlineData(LivenessStatus.Registered, LivenessStatus.Healthy, null)]
    [InlineData(LivenessStatus.Healthy, LivenessStatus.Retired, TransitionKinds.Retired)]
    public void A_status_change_has_the_kind_rules_ask_for(LivenessStatus from, LivenessStatus to, string? kind) =>
        Assert.Equal(kind, TransitionKinds.Of(from, to));
}
