using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Domain.Tests.Liveness;

/// <summary>A restart rebuilds the state from the events: in every state, the replay must match.</summary>
public sealed class RecoveryTests
{
    public static TheoryData<string> Scenarios => new() { "registered", "healthy", "fault", "late", "flapping", "stale", "dead", "retired", "reactivated", "sequence-gaps" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void A_restart_in_the_middle_of_a_state_rebuilds_the_same_state_and_deadline(string scenario)
    {
        var t = Drive(scenario);

        var replayed = t.Replayed();

        Assert.Equal(t.State, replayed);
        Assert.Equal(SensorLiveness.NextDeadline(t.State, t.Policy), SensorLiveness.NextDeadline(replayed, t.Policy));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void After_a_restart_the_sensor_carries_on_exactly_as_if_nothing_happened(string scenario)
    {
        var live = Drive(scenario);
        var restarted = Drive(scenario);

        foreach (var t in new[] { live, restarted })
        {
            t.Advance(TimeSpan.FromMinutes(3));
            t.Beat(sequence: 1000);
            t.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(live.Replayed(), restarted.Replayed());
        Assert.Equal(live.Transitions.Select(c => (c.To, c.At)), restarted.Transitions.Select(c => (c.To, c.At)));
    }

    [Fact]
    public void Random_histories_keep_the_machine_consistent()
    {
        var random = new Random(1234);
        for (var run = 0; run < 200; run++)
        {
            var t = new SensorTimeline();
            long seq = 0;
            for (var step = 0; step < 40; step++)
            {
                switch (random.Next(10))
                {
                    case < 6:
                        t.Beat(sequence: seq += random.Next(0, 3), status: random.Next(10) == 0 ? ReportedStatus.Fault : ReportedStatus.Ok);
                        break;
                    case < 9:
                        t.Advance(TimeSpan.FromSeconds(random.Next(1, 900)));
                        break;
                    default:
                        if (random.Next(2) == 0)
                        {
                            t.Retire();
                        }
                        else
                        {
                            t.Reactivate();
                        }

                        break;
                }

                Assert.Equal(t.State, t.Replayed());
            }

            foreach (var change in t.Transitions)
            {
                Assert.NotEqual(change.From, change.To);
            }

            Assert.Equal(t.Transitions.Select(c => c.At).Order(), t.Transitions.Select(c => c.At));
            Assert.Equal(t.State.Status, t.Transitions.LastOrDefault()?.To ?? LivenessStatus.Registered);
        }
    }

    private static SensorTimeline Drive(string scenario)
    {
        var t = new SensorTimeline();
        switch (scenario)
        {
            case "registered":
                t.Register();
                break;
            case "healthy":
                t.Beat(sequence: 1);
                t.Advance(TimeSpan.FromSeconds(30));
                break;
            case "fault":
                t.Beat(sequence: 1, status: ReportedStatus.Fault);
                break;
            case "late":
                t.Beat(sequence: 1);
                t.Advance(TimeSpan.FromMinutes(2));
                break;
            case "flapping":
                for (var i = 1; i <= 5; i++)
                {
                    t.Beat(sequence: i);
                    t.Advance(TimeSpan.FromSeconds(120));
                }

                break;
            case "stale":
                t.Beat(sequence: 1);
                t.Advance(TimeSpan.FromMinutes(20));
                break;
            case "dead":
                t.Beat(sequence: 1);
                t.Advance(TimeSpan.FromDays(8));
                break;
            case "retired":
                t.Beat(sequence: 1);
                t.Retire();
                break;
            case "reactivated":
                t.Beat(sequence: 1);
                t.Retire();
                t.Advance(TimeSpan.FromDays(1));
                t.Reactivate();
                break;
            case "sequence-gaps":
                t.Beat(sequence: 1);
                t.Beat(sequence: 9);
                t.Beat(sequence: 4);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario));
        }

        return t;
    }
}
