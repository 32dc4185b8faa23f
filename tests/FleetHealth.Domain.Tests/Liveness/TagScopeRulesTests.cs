using FleetHealth.Domain.Liveness;
using static FleetHealth.Domain.Liveness.LivenessStatus;

namespace FleetHealth.Domain.Tests.Liveness;

/// <summary>The pure rules' side of tag-scoped ingest keys: the sensor decides from its own tags.</summary>
public sealed class TagScopeRulesTests
{
    [Fact]
    public void A_known_sensor_without_the_required_tag_refuses_the_heartbeat_and_records_nothing()
    {
        var t = new SensorTimeline();
        t.Beat(sequence: 1);
        t.Settings(new SensorSettings(null, null, ["site:south"]));
        var before = t.Events.Count;

        Assert.Equal(HeartbeatDecision.OutOfScope, t.Beat(sequence: 2, requiredTag: "site:north"));
        Assert.Equal(HeartbeatDecision.OutOfScope, t.Beat(sequence: 1, requiredTag: "site:north"));

        Assert.Equal(before, t.Events.Count);
        Assert.Equal(1, t.State.HeartbeatCount);
    }

    [Fact]
    public void A_known_sensor_with_the_required_tag_takes_the_heartbeat()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Settings(new SensorSettings(null, null, ["bay-2", "site:north"]));

        Assert.Equal(HeartbeatDecision.Accepted, t.Beat(requiredTag: "site:north"));
        Assert.Equal(2, t.State.HeartbeatCount);
    }

    [Fact]
    public void Tags_match_exactly_not_by_case_or_prefix()
    {
        var t = new SensorTimeline();
        t.Beat();
        t.Settings(new SensorSettings(null, null, ["site:north-2"]));

        Assert.Equal(HeartbeatDecision.OutOfScope, t.Beat(requiredTag: "site:north"));
        Assert.Equal(HeartbeatDecision.OutOfScope, t.Beat(requiredTag: "SITE:NORTH-2"));
    }

    [Fact]
    public void An_unknown_sensor_auto_registered_through_a_scoped_key_carries_the_tag_from_its_first_event_on()
    {
        var t = new SensorTimeline();

        Assert.Equal(HeartbeatDecision.Accepted, t.Beat(requiredTag: "site:north"));

        Assert.IsType<SensorRegistered>(t.Events[0]);
        Assert.Equal(["site:north"], Assert.IsType<SettingsChanged>(t.Events[1]).Settings.Tags);
        Assert.Equal(["site:north"], t.State.Settings.Tags);
        Assert.Equal(Healthy, t.State.Status);
        Assert.Equal(t.State, t.Replayed());
    }

    [Fact]
    public void Without_auto_registration_an_unknown_sensor_is_unknown_whatever_the_key()
    {
        var t = new SensorTimeline(autoRegister: false);

        Assert.Equal(HeartbeatDecision.UnknownSensor, t.Beat(requiredTag: "site:north"));
        Assert.Empty(t.Events);
    }
}
