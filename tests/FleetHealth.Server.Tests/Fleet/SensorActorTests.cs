using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.TestKit;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Ingestion;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Tests.Fleet;

/// <summary>The sensor actor on the real runtime, on virtual time, with the in-memory journal.</summary>
public sealed class SensorActorTests : ActorTestKit
{
    // A deadline, not a measurement: generous, since test classes share two cores.
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(60);
    private readonly InMemoryJournal _journal;
    private readonly SensorFleet _fleet;

    public SensorActorTests() : this(new InMemoryJournal())
    {
    }

    private SensorActorTests(InMemoryJournal journal)
        : base(new ActorSystemSettings { Journal = journal, Serializer = SensorEventSerialization.Register(new EventSerializer()) })
    {
        _journal = journal;
        _fleet = new SensorFleet(Sys, Options.Create(new LivenessOptions()));
    }

    [Fact]
    public async Task A_silent_sensor_turns_late_then_stale_on_its_own_timer()
    {
        var start = Clock.GetUtcNow();
        Assert.Equal(IngestOutcome.Accepted, await BeatAsync("t-1"));

        await AdvanceAsync(TimeSpan.FromSeconds(89));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync("t-1")).Status);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(LivenessStatus.Late, (await StateAsync("t-1")).Status);
        await AdvanceAsync(TimeSpan.FromMinutes(9));

        var state = await StateAsync("t-1");
        Assert.Equal(LivenessStatus.Stale, state.Status);
        Assert.Equal(start.AddMinutes(10), state.StatusSince);
    }

    [Fact]
    public async Task Every_one_of_ten_thousand_sensors_turns_late_at_its_own_deadline()
    {
        var start = Clock.GetUtcNow();
        var ids = Enumerable.Range(0, 10_000).Select(i => $"many-{i}").ToList();
        foreach (var chunk in ids.Chunk(1000))
        {
            await Task.WhenAll(chunk.Select(id => BeatAsync(id)));
        }

        await AdvanceAsync(TimeSpan.FromSeconds(90));
        await AwaitQuiescenceAsync(TimeSpan.FromSeconds(30));

        var states = await Task.WhenAll(ids.Select(StateAsync));
        Assert.All(states, s => Assert.Equal((LivenessStatus.Late, start.AddSeconds(90)), (s.Status, s.StatusSince)));
    }

    [Fact]
    public async Task A_sensor_recovered_after_its_node_was_down_gets_its_missed_transitions_at_their_true_times()
    {
        var start = Clock.GetUtcNow();
        await BeatAsync("t-2", sequence: 1);
        await Sys.StopAsync(_fleet.Sensor(Id("t-2")));

        Clock.Advance(TimeSpan.FromMinutes(20)); // nobody owns the sensor meanwhile
        _fleet.Sensor(Id("t-2")); // recovery finds the deadlines already past and acts at once
        await AwaitQuiescenceAsync();
        var state = await StateAsync("t-2");

        Assert.Equal(LivenessStatus.Stale, state.Status);
        Assert.Equal(start.AddMinutes(10), state.StatusSince);
        Assert.Equal(1, state.HeartbeatCount);
    }

    [Fact]
    public async Task A_repeated_sequence_number_is_acknowledged_as_a_duplicate_and_not_written()
    {
        await BeatAsync("t-3", sequence: 7);
        var written = await _journal.ReadHighestSequenceNrAsync("sensor/t-3");

        Assert.Equal(IngestOutcome.Duplicate, await BeatAsync("t-3", sequence: 7));
        Assert.Equal(written, await _journal.ReadHighestSequenceNrAsync("sensor/t-3"));
        Assert.Equal(1, (await StateAsync("t-3")).HeartbeatCount);
    }

    [Fact]
    public async Task Operators_retire_and_reactivate_a_sensor_and_change_its_settings()
    {
        await BeatAsync("t-4");
        var settings = new SensorSettings(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), ["bay"]);

        var changed = Assert.IsType<SensorState>(await _fleet.Sensor(Id("t-4")).Ask(new ChangeSensorSettings(settings), Ask));
        var retired = Assert.IsType<SensorState>(await _fleet.Sensor(Id("t-4")).Ask(new RetireSensor(), Ask));
        await AdvanceAsync(TimeSpan.FromDays(30));
        Assert.Equal(LivenessStatus.Retired, (await StateAsync("t-4")).Status);
        var reactivated = Assert.IsType<SensorState>(await _fleet.Sensor(Id("t-4")).Ask(new ReactivateSensor(), Ask));

        Assert.Equal(["bay"], changed.Settings.Tags);
        Assert.Equal(LivenessStatus.Retired, retired.Status);
        Assert.Equal(LivenessStatus.Healthy, reactivated.Status);
        await AdvanceAsync(TimeSpan.FromSeconds(12));
        Assert.Equal(LivenessStatus.Late, (await StateAsync("t-4")).Status);
    }

    [Fact]
    public async Task Commands_for_an_unknown_sensor_say_so_and_create_nothing()
    {
        Assert.IsType<SensorUnknown>(await _fleet.Sensor(Id("t-5")).Ask(new RetireSensor(), Ask));
        Assert.IsType<SensorUnknown>(await _fleet.Sensor(Id("t-5")).Ask(new GetSensorState(), Ask));
        Assert.Equal(0, await _journal.ReadHighestSequenceNrAsync("sensor/t-5"));
    }

    [Fact]
    public async Task A_second_writer_on_the_same_stream_makes_the_heartbeat_unavailable_not_acknowledged()
    {
        await BeatAsync("t-6", sequence: 1);
        var next = await _journal.ReadHighestSequenceNrAsync("sensor/t-6") + 1;
        var serializer = SensorEventSerialization.Register(new EventSerializer());
        var payload = serializer.Serialize(new SensorReactivated(Clock.GetUtcNow()), out var manifest);
        await _journal.WriteAsync(new AtomicWrite([new PersistentRepr("sensor/t-6", next, manifest, payload, [])]));
        var sink = new FleetHeartbeatSink(LocalRegion.For(_fleet, Sys));

        await Assert.ThrowsAsync<IngestUnavailableException>(async () =>
            await sink.SubmitAsync(new Heartbeat(Id("t-6"), Clock.GetUtcNow(), Sequence: 2), requiredTag: null, CancellationToken.None));
    }

    [Fact]
    public async Task A_sensor_turns_late_at_its_new_deadline_after_its_tags_interval_is_shortened()
    {
        var t0 = Clock.GetUtcNow();
        await TagAsync("tag-1", "bay");
        await TagAsync("tag-other", "yard");
        await BeatAsync("tag-1");
        await BeatAsync("tag-other");
        await AdvanceAsync(TimeSpan.FromSeconds(10));

        SetTag("bay", interval: 20, grace: 5);
        await AdvanceAsync(TimeSpan.FromSeconds(14));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync("tag-1")).Status);
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        var state = await StateAsync("tag-1");
        Assert.Equal((LivenessStatus.Late, t0.AddSeconds(25)), (state.Status, state.StatusSince));
        Assert.Equal(LivenessStatus.Healthy, (await StateAsync("tag-other")).Status);
    }

    [Fact]
    public async Task A_tag_change_that_puts_the_deadline_in_the_past_turns_the_sensor_late_at_once_stamped_at_that_deadline()
    {
        var t0 = Clock.GetUtcNow();
        await TagAsync("tag-2", "dock");
        await BeatAsync("tag-2");
        await AdvanceAsync(TimeSpan.FromSeconds(50));

        SetTag("dock", interval: 10, grace: 5);
        await AwaitQuiescenceAsync();

        var state = await StateAsync("tag-2");
        Assert.Equal((LivenessStatus.Late, t0.AddSeconds(15)), (state.Status, state.StatusSince));
        await AdvanceAsync(TimeSpan.FromSeconds(600 - 50 - 1));
        Assert.Equal(LivenessStatus.Late, (await StateAsync("tag-2")).Status);
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal((LivenessStatus.Stale, t0.AddMinutes(10)), ((await StateAsync("tag-2")).Status, (await StateAsync("tag-2")).StatusSince));
    }

    private void SetTag(string tag, double interval, double grace)
    {
        var tags = new Dictionary<string, TagSettings>(_fleet.Policy.Current.Tags, StringComparer.Ordinal)
        {
            [tag] = new TagSettings(TimeSpan.FromSeconds(interval), TimeSpan.FromSeconds(grace)),
        };
        _fleet.AnnounceTagSettingsChanged(_fleet.Policy.ReplaceTags(tags));
    }

    private async Task TagAsync(string id, string tag)
    {
        await _fleet.Sensor(Id(id)).Ask(new RegisterSensor(), Ask);
        await _fleet.Sensor(Id(id)).Ask(new ChangeSensorSettings(new SensorSettings(null, null, [tag])), Ask);
    }

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out _) ? id : throw new ArgumentException(text);

    private async Task<IngestOutcome> BeatAsync(string id, long? sequence = null) =>
        await _fleet.Sensor(Id(id)).Ask<IngestOutcome>(new SubmitHeartbeat(new Heartbeat(Id(id), Clock.GetUtcNow(), sequence)), Ask);

    private async Task<SensorState> StateAsync(string id) =>
        Assert.IsType<SensorState>(await _fleet.Sensor(Id(id)).Ask(new GetSensorState(), Ask));
}
