using Akka.Actor;
using Akka.Persistence;
using FleetHealth.Domain.Liveness;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>The sensor as an Akka.NET persistent actor: the cases of today's actor, on virtual time.</summary>
public sealed class SensorActorTests(ITestOutputHelper output) : SensorActorSpec(output)
{
    [Fact]
    public async Task An_acknowledged_heartbeat_is_in_the_journal_a_new_incarnation_recovers_it()
    {
        var sensor = Sensor("ack-1");
        Assert.Equal(IngestOutcome.Accepted, await BeatAsync(sensor, "ack-1", sequence: 1));
        await StopAsync(sensor);

        var state = await StateAsync(Sensor("ack-1"));

        Assert.Equal((1L, LivenessStatus.Healthy), (state.HeartbeatCount, state.Status));
    }

    [Fact]
    public async Task A_repeated_sequence_number_is_a_duplicate_and_not_written()
    {
        var sensor = Sensor("dup-1");
        await BeatAsync(sensor, "dup-1", sequence: 7);

        Assert.Equal(IngestOutcome.Duplicate, await BeatAsync(sensor, "dup-1", sequence: 7));
        await StopAsync(sensor);
        Assert.Equal(1, (await StateAsync(Sensor("dup-1"))).HeartbeatCount);
    }

    [Fact]
    public async Task An_unknown_sensor_is_refused_when_auto_registration_is_off_and_nothing_is_written()
    {
        var sensor = Sensor("unk-1", autoRegister: false);

        Assert.Equal(IngestOutcome.UnknownSensor, await BeatAsync(sensor, "unk-1"));
        Assert.IsType<SensorUnknown>(await sensor.Ask<object>(new RetireSensor(), Ask));
        await StopAsync(sensor);
        Assert.IsType<SensorUnknown>(await Sensor("unk-1").Ask<object>(new GetSensorState(), Ask));
    }

    [Fact]
    public async Task A_silent_sensor_turns_late_then_stale_then_dead_on_its_own_timer()
    {
        var sensor = Sensor("silent-1");
        var start = VirtualNow;
        await BeatAsync(sensor, "silent-1");

        Advance(TimeSpan.FromSeconds(89));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync(sensor)).Status);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((LivenessStatus.Late, start.AddSeconds(90)), Since(await StateAsync(sensor)));
        Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(91));
        Assert.Equal(LivenessStatus.Late, (await StateAsync(sensor)).Status);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((LivenessStatus.Stale, start.AddMinutes(10)), Since(await StateAsync(sensor)));
        Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(10));
        Assert.Equal((LivenessStatus.Dead, start.AddDays(7)), Since(await StateAsync(sensor)));
    }

    [Fact]
    public async Task Recovery_rearms_the_deadline_from_the_last_heartbeat()
    {
        var sensor = Sensor("rearm-1");
        var start = VirtualNow;
        await BeatAsync(sensor, "rearm-1");
        await StopAsync(sensor);

        Advance(TimeSpan.FromSeconds(30)); // nobody owns the sensor; its deadline is still ahead
        var recovered = Sensor("rearm-1");
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync(recovered)).Status);
        Advance(TimeSpan.FromSeconds(60));

        Assert.Equal((LivenessStatus.Late, start.AddSeconds(90)), Since(await StateAsync(recovered)));
    }

    [Fact]
    public async Task Deadlines_missed_while_nobody_owned_the_sensor_fire_at_recovery_stamped_at_their_true_times()
    {
        var sensor = Sensor("down-1");
        var start = VirtualNow;
        await BeatAsync(sensor, "down-1", sequence: 1);
        await StopAsync(sensor);

        Advance(TimeSpan.FromMinutes(20));
        var state = await StateAsync(Sensor("down-1")); // the first answer already includes them

        Assert.Equal((LivenessStatus.Stale, start.AddMinutes(10)), Since(state));
        Assert.Equal(1, state.HeartbeatCount);
    }

    [Fact]
    public async Task A_snapshot_is_saved_every_n_events_older_ones_are_deleted_and_recovery_starts_from_it()
    {
        var sensor = Sensor("snap-1", snapshotEvery: 3);
        var pid = SensorActor.PersistenceIdOf("snap-1");
        for (var seq = 1; seq <= 4; seq++)
        {
            await BeatAsync(sensor, "snap-1", seq); // 3 events (registered, beat, healthy), then 1 each
        }

        // Saving is asynchronous (commands are not held for it): poll the store, no fixed wait.
        await AwaitAssertAsync(async () => Assert.Equal(6, (await LatestSnapshotAsync(pid, long.MaxValue))?.Metadata.SequenceNr), Ask);
        await AwaitAssertAsync(async () => Assert.Null(await LatestSnapshotAsync(pid, 5)), Ask);
        await StopAsync(sensor);

        // Without the events the snapshot covers, only the snapshot can bring the state back.
        var journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
        journal.Tell(new DeleteMessagesTo(pid, 6, TestActor));
        await ExpectMsgAsync<DeleteMessagesSuccess>(Ask);
        var recovered = Sensor("snap-1", snapshotEvery: 3);

        Assert.Equal(4, (await StateAsync(recovered)).HeartbeatCount);
        Assert.Equal(IngestOutcome.Duplicate, await BeatAsync(recovered, "snap-1", 4));
    }

    [Fact]
    public async Task Retiring_stops_the_deadlines_and_reactivating_restarts_them()
    {
        var sensor = Sensor("life-1");
        await BeatAsync(sensor, "life-1");
        var settings = new SensorSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), ["bay"]);

        var changed = Assert.IsType<SensorState>(await sensor.Ask<object>(new ChangeSensorSettings(settings), Ask));
        var retired = Assert.IsType<SensorState>(await sensor.Ask<object>(new RetireSensor(), Ask));
        Advance(TimeSpan.FromDays(30));
        Assert.Equal(LivenessStatus.Retired, (await StateAsync(sensor)).Status);
        var reactivated = Assert.IsType<SensorState>(await sensor.Ask<object>(new ReactivateSensor(), Ask));
        var since = VirtualNow;

        Assert.Equal(["bay"], changed.Settings.Tags);
        Assert.Equal(LivenessStatus.Retired, retired.Status);
        Assert.Equal(LivenessStatus.Healthy, reactivated.Status);
        Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync(sensor)).Status);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((LivenessStatus.Late, since.AddSeconds(12)), Since(await StateAsync(sensor)));
    }

    [Fact]
    public async Task A_sensor_turns_late_at_its_new_deadline_after_its_tags_interval_is_shortened()
    {
        var t0 = VirtualNow;
        var tagged = await TaggedAsync("tag-1", "bay");
        var other = await TaggedAsync("tag-other", "yard");
        await BeatAsync(tagged, "tag-1");
        await BeatAsync(other, "tag-other");
        Advance(TimeSpan.FromSeconds(10));

        await SetTagAsync("bay", interval: 20, grace: 5, tagged, other);
        Advance(TimeSpan.FromSeconds(14));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync(tagged)).Status);
        Advance(TimeSpan.FromSeconds(1));

        Assert.Equal((LivenessStatus.Late, t0.AddSeconds(25)), Since(await StateAsync(tagged)));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync(other)).Status);
    }

    [Fact]
    public async Task A_tag_change_that_puts_the_deadline_in_the_past_turns_the_sensor_late_at_once_stamped_at_that_deadline()
    {
        var t0 = VirtualNow;
        var sensor = await TaggedAsync("tag-2", "dock");
        await BeatAsync(sensor, "tag-2");
        Advance(TimeSpan.FromSeconds(50));

        await SetTagAsync("dock", interval: 10, grace: 5, sensor);

        Assert.Equal((LivenessStatus.Late, t0.AddSeconds(15)), Since(await StateAsync(sensor)));
        Advance(TimeSpan.FromSeconds(600 - 50 - 1));
        Assert.Equal(LivenessStatus.Late, (await StateAsync(sensor)).Status);
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((LivenessStatus.Stale, t0.AddMinutes(10)), Since(await StateAsync(sensor)));
    }

    [Fact]
    public async Task A_failed_write_answers_the_asker_with_a_failure_not_a_success_and_stops_the_sensor()
    {
        var sensor = Sensor("fail-1");
        Watch(sensor);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => BeatAsync(sensor, "fail-1"));

        Assert.IsType<JournalDownException>(error); // the journal's error itself, at once: not an ask timeout
        await ExpectTerminatedAsync(sensor, Ask);
    }

    [Fact]
    public async Task A_rejected_write_answers_the_asker_with_a_failure_and_stops_the_sensor()
    {
        var sensor = Sensor("reject-1");
        Watch(sensor);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sensor.Ask<object>(new RegisterSensor(), Ask));

        Assert.IsType<JournalDownException>(error);
        await ExpectTerminatedAsync(sensor, Ask);
    }

    private static (LivenessStatus, DateTimeOffset) Since(SensorState state) => (state.Status, state.StatusSince);

    private async Task<IActorRef> TaggedAsync(string id, string tag)
    {
        var sensor = Sensor(id);
        await sensor.Ask<object>(new RegisterSensor(), Ask);
        await sensor.Ask<object>(new ChangeSensorSettings(new SensorSettings(null, null, [tag])), Ask);
        return sensor;
    }

    /// <summary>As the fleet does: replace the rules, announce the changed tags, and wait until each sensor has handled it.</summary>
    private async Task SetTagAsync(string tag, double interval, double grace, params IActorRef[] sensors)
    {
        var tags = new Dictionary<string, TagSettings>(Policy.Current.Tags, StringComparer.Ordinal)
        {
            [tag] = new TagSettings(TimeSpan.FromSeconds(interval), TimeSpan.FromSeconds(grace)),
        };
        var changed = Policy.ReplaceTags(tags);
        foreach (var sensor in sensors)
        {
            sensor.Tell(new TagSettingsChanged(changed));
            await StateAsync(sensor); // mailbox order: answered after the change was handled
        }
    }

    private async Task<SelectedSnapshot?> LatestSnapshotAsync(string pid, long maxSequenceNr)
    {
        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var result = await store.Ask<LoadSnapshotResult>(new LoadSnapshot(pid, new SnapshotSelectionCriteria(maxSequenceNr), long.MaxValue), Ask);
        return result.Snapshot;
    }
}
