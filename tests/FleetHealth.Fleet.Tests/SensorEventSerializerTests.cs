using System.Text;
using Akka.Serialization;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>The serializer as Akka finds it through the HOCON bindings: today's manifests and bytes.</summary>
public sealed class SensorEventSerializerTests(ITestOutputHelper output) : SensorActorSpec(output)
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, SensorEvent> Events => new()
    {
        { SensorEventManifests.Registered, new SensorRegistered(At) },
        {
            SensorEventManifests.Heartbeat,
            new HeartbeatRecorded(At, 42, At.AddSeconds(-1), ReportedStatus.Fault, 0.5, -70, "1.2.3",
                new Dictionary<string, double> { ["temp"] = 21.5 }, SkewFlagged: true, MissedBefore: 2, LostBeats: -1, SequenceReset: true)
        },
        { SensorEventManifests.Heartbeat, new HeartbeatRecorded(At, null, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false) },
        { SensorEventManifests.StatusChanged, new StatusChanged(At, LivenessStatus.Healthy, LivenessStatus.Late, "silent for 90s") },
        { SensorEventManifests.SettingsChanged, new SettingsChanged(At, new SensorSettings(TimeSpan.FromSeconds(10), null, ["bay", "dock"])) },
        { SensorEventManifests.Reactivated, new SensorReactivated(At) },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_goes_through_the_sensor_serializer_under_its_manifest_and_round_trips(string manifest, SensorEvent e)
    {
        var serializer = Assert.IsType<SensorEventSerializer>(Sys.Serialization.FindSerializerFor(e));
        var bytes = serializer.ToBinary(e);
        var back = serializer.FromBinary(bytes, serializer.Manifest(e));

        Assert.Equal((SensorEventSerializer.Id, manifest), (serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, e)));
        Assert.Equal(e.GetType(), back.GetType());
        Assert.Equal(bytes, serializer.ToBinary(back)); // records holding lists compare by reference: compare what is stored
    }

    [Fact]
    public void The_stored_json_is_todays_format()
    {
        // Literal rows as today's journal holds them (camelCase, string enums, nulls omitted, the base record's "at" last).
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(new SensorRegistered(At));

        Assert.Equal(
            """{"from":"Healthy","to":"Late","reason":"silent for 90s","at":"2025-03-01T12:00:00+00:00"}""",
            Encoding.UTF8.GetString(serializer.ToBinary(new StatusChanged(At, LivenessStatus.Healthy, LivenessStatus.Late, "silent for 90s"))));
        Assert.Equal(
            """{"sequence":3,"status":"Ok","skewFlagged":false,"missedBefore":0,"lostBeats":0,"sequenceReset":false,"at":"2025-03-01T12:00:00+00:00"}""",
            Encoding.UTF8.GetString(serializer.ToBinary(new HeartbeatRecorded(At, 3, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false))));
    }

    [Fact]
    public void The_snapshot_round_trips_with_its_history_and_sequence()
    {
        var state = SensorState.Unknown
            .Apply(new SensorRegistered(At))
            .Apply(new HeartbeatRecorded(At.AddSeconds(5), 1, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false))
            .Apply(new HeartbeatRecorded(At.AddSeconds(65), 3, null, ReportedStatus.Ok, null, null, null, null, false, 0, 1, false))
            .Apply(new StatusChanged(At.AddSeconds(5), LivenessStatus.Registered, LivenessStatus.Healthy, "heartbeat"));
        var serializer = Assert.IsType<SensorEventSerializer>(Sys.Serialization.FindSerializerFor(state));

        var bytes = serializer.ToBinary(state);
        var back = Assert.IsType<SensorState>(serializer.FromBinary(bytes, SensorEventManifests.State));

        Assert.Equal(SensorEventManifests.State, serializer.Manifest(state));
        Assert.Equal((2L, 1L, At.AddSeconds(65), LivenessStatus.Healthy), (back.HeartbeatCount, back.LostBeats, back.LastSeen, back.Status));
        Assert.Equal(bytes, serializer.ToBinary(back));
        Assert.Equal(SequenceVerdict.Duplicate, back.Sequence.Classify(3, out _));
    }

    [Fact]
    public void An_unknown_manifest_fails_instead_of_being_skipped()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(new SensorRegistered(At));

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "sensor.unheard-of.v1"));
    }
}
