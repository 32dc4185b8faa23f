using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using Xunit.Abstractions;

namespace FleetHealth.Fleet.Tests;

/// <summary>
/// What travels between nodes for a sensor goes through <see cref="SensorMessageSerializer"/> as
/// Akka finds it by the HOCON bindings (never Akka's Newtonsoft fallback), and comes back equal.
/// </summary>
public sealed class SensorMessageSerializerTests(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(SensorMessageSerializer.Config.WithFallback(SensorEventSerializer.Config), "wire", output: output)
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, 123, TimeSpan.FromHours(2));

    private static readonly Heartbeat FullBeat = new(
        Id("beat-1"),
        At,
        Sequence: 42,
        SentAt: At.AddMilliseconds(-1500.5),
        Status: ReportedStatus.Fault,
        Battery: 87.25,
        Signal: -71.5,
        Firmware: "2.4.1-rc1",
        Metrics: new Dictionary<string, double> { ["temp"] = 21.5, ["hum"] = 0.1 + 0.2 });

    public static TheoryData<string, object> Commands => new()
    {
        { SensorMessageManifests.SubmitHeartbeat, new SubmitHeartbeat(FullBeat, RequiredTag: "site:north") },
        { SensorMessageManifests.SubmitHeartbeat, new SubmitHeartbeat(new Heartbeat(Id("bare"), At)) },
        { SensorMessageManifests.GetState, new GetSensorState() },
        { SensorMessageManifests.ChangeSettings, new ChangeSensorSettings(new SensorSettings(TimeSpan.FromSeconds(12.5), TimeSpan.FromMinutes(2), ["bay", "dock/2"])) },
        { SensorMessageManifests.ChangeSettings, new ChangeSensorSettings(SensorSettings.Inherit) },
        { SensorMessageManifests.Register, new RegisterSensor() },
        { SensorMessageManifests.Retire, new RetireSensor() },
        { SensorMessageManifests.Reactivate, new ReactivateSensor() },
        { SensorMessageManifests.TagSettingsChanged, new TagSettingsChanged(new HashSet<string>(["bay", "site:north"], StringComparer.Ordinal)) },
        { SensorMessageManifests.CheckDeadlines, CheckDeadlines.Instance },
        { SensorMessageManifests.IngestOutcome, IngestOutcome.Accepted },
        { SensorMessageManifests.IngestOutcome, IngestOutcome.OutOfScope },
        { SensorMessageManifests.Unknown, SensorUnknown.Instance },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_and_reply_is_bound_to_the_sensor_message_serializer_and_round_trips(string manifest, object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);

        Assert.IsType<SensorMessageSerializer>(serializer);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, message));
        var back = RoundTrip(message);
        Assert.Equal(message.GetType(), back.GetType());
        // Records holding lists, sets and dictionaries compare those by reference: compare the wire bytes.
        Assert.Equal(serializer.ToBinary(message), serializer.ToBinary(back));
    }

    [Fact]
    public void A_heartbeat_with_every_field_arrives_with_every_field()
    {
        var back = Assert.IsType<SubmitHeartbeat>(RoundTrip(new SubmitHeartbeat(FullBeat, "site:north")));

        Assert.Equal("site:north", back.RequiredTag);
        var beat = back.Heartbeat;
        Assert.Equal(
            (FullBeat.SensorId, FullBeat.ReceivedAt, FullBeat.Sequence, FullBeat.SentAt, FullBeat.Status, FullBeat.Battery, FullBeat.Signal, FullBeat.Firmware),
            (beat.SensorId, beat.ReceivedAt, beat.Sequence, beat.SentAt, beat.Status, beat.Battery, beat.Signal, beat.Firmware));
        Assert.Equal(FullBeat.ReceivedAt.Offset, beat.ReceivedAt.Offset);
        Assert.Equal(FullBeat.Metrics!.OrderBy(m => m.Key), beat.Metrics!.OrderBy(m => m.Key));
    }

    [Fact]
    public void Settings_arrive_with_their_times_and_their_tags_in_order()
    {
        var settings = new SensorSettings(TimeSpan.FromMilliseconds(12_345), null, ["dock/2", "bay", "site:north"]);

        var back = Assert.IsType<ChangeSensorSettings>(RoundTrip(new ChangeSensorSettings(settings))).Settings;

        Assert.Equal((settings.Interval, settings.Grace), (back.Interval, back.Grace));
        Assert.Equal(settings.Tags, back.Tags);
    }

    [Fact]
    public void A_tag_announcement_arrives_with_its_tags()
    {
        var back = Assert.IsType<TagSettingsChanged>(RoundTrip(new TagSettingsChanged(new HashSet<string>(["bay", "site:north"]))));

        Assert.Equal(["bay", "site:north"], back.Tags.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_envelope_carries_its_message_inline_under_the_messages_own_manifest()
    {
        var envelope = new SensorEnvelope("beat-1", new SubmitHeartbeat(FullBeat));
        var serializer = Assert.IsType<SensorMessageSerializer>(Sys.Serialization.FindSerializerFor(envelope));

        var bytes = serializer.ToBinary(envelope);
        using var json = JsonDocument.Parse(bytes);
        Output?.WriteLine(Encoding.UTF8.GetString(bytes));

        Assert.Equal(SensorMessageManifests.Envelope, serializer.Manifest(envelope));
        Assert.Equal("beat-1", json.RootElement.GetProperty("sensorId").GetString());
        Assert.Equal(SensorMessageManifests.SubmitHeartbeat, json.RootElement.GetProperty("manifest").GetString());
        Assert.Equal(42, json.RootElement.GetProperty("message").GetProperty("heartbeat").GetProperty("sequence").GetInt64());
        var back = Assert.IsType<SensorEnvelope>(serializer.FromBinary(bytes, SensorMessageManifests.Envelope));
        Assert.Equal("beat-1", back.SensorId);
        Assert.Equal(serializer.ToBinary(envelope.Message), serializer.ToBinary(Assert.IsType<SubmitHeartbeat>(back.Message)));
    }

    [Fact]
    public void An_envelope_of_another_serializers_message_carries_that_serializers_bytes()
    {
        // Not a sensor message: whatever Akka binds it to travels as that serializer's payload.
        var envelope = new SensorEnvelope("s-1", "plain text");
        var serializer = Sys.Serialization.FindSerializerFor(envelope);

        var bytes = serializer.ToBinary(envelope);
        using var json = JsonDocument.Parse(bytes);

        Assert.Equal(Sys.Serialization.FindSerializerFor("plain text").Identifier, json.RootElement.GetProperty("serializerId").GetInt32());
        Assert.Equal("plain text", Assert.IsType<SensorEnvelope>(RoundTrip(envelope)).Message);
    }

    [Fact]
    public void The_state_reply_keeps_the_snapshot_serializer()
    {
        var state = SensorState.Unknown.Apply(new SensorRegistered(At));

        var serializer = Assert.IsType<SensorEventSerializer>(Sys.Serialization.FindSerializerFor(state));

        Assert.Equal(SensorEventManifests.State, serializer.Manifest(state));
        Assert.True(Assert.IsType<SensorState>(RoundTrip(state)).IsKnown);
    }

    [Theory]
    [InlineData(SensorMessageManifests.SubmitHeartbeat, """{"heartbeat":{"sensorId":"../etc","receivedAt":"2025-03-01T12:00:00Z"}}""")]
    [InlineData(SensorMessageManifests.Envelope, """{"manifest":"sensor.get-state","message":{}}""")]
    [InlineData(SensorMessageManifests.Envelope, """{"sensorId":"s","manifest":"sensor.get-state"}""")]
    [InlineData(SensorMessageManifests.Envelope, """{"sensorId":"s","manifest":"sensor.unheard-of","message":{}}""")]
    [InlineData(SensorMessageManifests.Envelope, """{"sensorId":"s","manifest":""")]
    [InlineData(SensorMessageManifests.IngestOutcome, "\"Maybe\"")]
    [InlineData("sensor.unheard-of", "{}")]
    public void A_message_that_does_not_read_fails_instead_of_arriving_half_read(string manifest, string json)
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(new GetSensorState());

        Assert.Throws<SerializationException>(() => serializer.FromBinary(Encoding.UTF8.GetBytes(json), manifest));
    }

    [Fact]
    public async Task Akka_sends_the_messages_through_the_serializer_when_it_verifies_every_message()
    {
        // serialize-messages: every local send is serialized and deserialized as if remote.
        var config = ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
            .WithFallback(SensorMessageSerializer.Config)
            .WithFallback(SensorEventSerializer.Config);
        using var system = ActorSystem.Create("verify", config);
        var echo = system.ActorOf(Props.Create(() => new Echo()));

        var envelope = new SensorEnvelope("beat-1", new SubmitHeartbeat(FullBeat, "site:north"));
        var back = Assert.IsType<SensorEnvelope>(await echo.Ask<object>(envelope, TimeSpan.FromSeconds(10)));
        var outcome = await echo.Ask<object>(IngestOutcome.Duplicate, TimeSpan.FromSeconds(10));

        Assert.Equal(FullBeat.Firmware, Assert.IsType<SubmitHeartbeat>(back.Message).Heartbeat.Firmware);
        Assert.Equal(IngestOutcome.Duplicate, outcome);
        await system.Terminate();
    }

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
    }

    private static SensorId Id(string text) => SensorId.TryParse(text, out var id, out var error) ? id : throw new ArgumentException(error);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
