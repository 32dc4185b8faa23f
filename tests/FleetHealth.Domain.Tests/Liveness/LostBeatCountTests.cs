using FleetHealth.Domain.Liveness;

namespace FleetHealth.Domain.Tests.Liveness;

public sealed class LostBeatCountTests
{
    [Fact]
    public void A_beat_older_than_the_first_one_is_a_delayed_beat_not_a_filled_gap_so_ten_three_eleven_loses_nothing()
    {
        var t = new SensorTimeline();

        t.Beat(sequence: 10);
        t.Beat(sequence: 3);
        t.Beat(sequence: 11);

        Assert.Equal([0L, 0L, 0L], Changes(t));
        Assert.Equal(0, t.State.LostBeats);
        Assert.Equal(0, LostBeatCount.Of(Changes(t)));
        Assert.Equal(HeartbeatDecision.Duplicate, t.Beat(sequence: 3)); // seen now: a repeat of it is a duplicate
    }

    [Fact]
    public void Reordered_repeated_and_reset_sequences_count_the_same_in_the_sensor_and_from_the_per_beat_changes()
    {
        var t = new SensorTimeline();
        long[] sent = [10, 3, 11, 11, 15, 13, 13, 0, 1, 4, 2, 2];
        foreach (var sequence in sent)
        {
            t.Beat(sequence: sequence);
        }

        // 15 skips 12..14 (3); 13 fills one (-1); the repeats of 11, 13 and 2 are duplicates; 0 is a
        // reboot; 4 skips 2 and 3 (2); 2 fills one (-1).
        Assert.Equal([0L, 0L, 0L, 3L, -1L, 0L, 0L, 2L, -1L], Changes(t));
        Assert.Equal(3, t.State.LostBeats);
        Assert.Equal(t.State.LostBeats, LostBeatCount.Of(Changes(t)));
        Assert.Equal(9, t.State.HeartbeatCount);

        // Replaying the events rebuilds the same tracker: the next beats count the same.
        var replayed = t.Events.Aggregate(SensorState.Unknown, (state, e) => state.Apply(e));
        Assert.Equal(t.State.Sequence, replayed.Sequence);
        Assert.Equal(t.State.LostBeats, replayed.LostBeats);
    }

    [Fact]
    public void The_running_count_never_goes_below_zero_and_a_set_of_changes_counts_at_least_zero()
    {
        Assert.Equal(0, LostBeatCount.Add(0, -1));
        Assert.Equal(0, LostBeatCount.Of([-1, 0]));
        Assert.Equal(1, LostBeatCount.Of([-1, 2]));
    }

    [Fact]
    public void A_snapshot_tracker_without_a_floor_counts_as_before_it_existed()
    {
        var old = new SequenceTracker(10, 1UL); // written before Floor: 0

        Assert.Equal(SequenceVerdict.Late, old.Classify(3, out var lost));
        Assert.Equal(-1, lost);
    }

    private static List<long> Changes(SensorTimeline t) => [.. t.Events.OfType<HeartbeatRecorded>().Select(h => h.LostBeats)];
}
