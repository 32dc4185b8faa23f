using System.Buffers;
using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace FleetHealth.Fleet;

/// <summary>
/// Akka serializer of what travels between nodes for a sensor: the <see cref="SensorEnvelope"/>
/// the shard regions route, the commands inside it (<see cref="SubmitHeartbeat"/> …
/// <see cref="TagSettingsChanged"/>) and the replies (<see cref="IngestOutcome"/>,
/// <see cref="SensorUnknown"/>). Source-generated JSON (<see cref="SensorMessageJsonContext"/>)
/// under the manifests of <see cref="SensorMessageManifests"/>; the reply
/// <see cref="FleetHealth.Domain.Liveness.SensorState"/> keeps <see cref="SensorEventSerializer"/>,
/// its snapshot serializer. Registered by <see cref="Config"/>.
/// </summary>
/// <remarks>
/// <para>An envelope is <c>{"sensorId":…,"manifest":…,"message":{…}}</c>: the inner message's own
/// JSON under its own manifest. An inner message this serializer does not own is carried as Akka
/// serializes it (<c>"serializerId"</c> and base64 <c>"payload"</c>), so the envelope never falls
/// back to another format for its content.</para>
/// <para>An unknown manifest, or a sensor id that does not parse, throws
/// <see cref="SerializationException"/>: the message is dropped by the receiving node (the sender's
/// ask times out: 503), never delivered half-read.</para>
/// </remarks>
public sealed class SensorMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's stable identifier (7201 is <see cref="SensorEventSerializer"/>).</summary>
    public const int Id = 7202;

    /// <summary>The name the serializer is registered under in <c>akka.actor.serializers</c>.</summary>
    public const string Name = "fleethealth-sensor-messages";

    private static readonly JsonEncodedText SensorIdProperty = JsonEncodedText.Encode("sensorId");
    private static readonly JsonEncodedText ManifestProperty = JsonEncodedText.Encode("manifest");
    private static readonly JsonEncodedText MessageProperty = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText SerializerIdProperty = JsonEncodedText.Encode("serializerId");
    private static readonly JsonEncodedText PayloadProperty = JsonEncodedText.Encode("payload");

    /// <summary>The HOCON that registers the serializer and binds the envelope, the commands and the replies to it.</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers {
            {{Name}} = "FleetHealth.Fleet.SensorMessageSerializer, FleetHealth.Fleet"
          }
          serialization-bindings {
            "FleetHealth.Fleet.SensorEnvelope, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.SubmitHeartbeat, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.GetSensorState, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.ChangeSensorSettings, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.RegisterSensor, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.RetireSensor, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.ReactivateSensor, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.TagSettingsChanged, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.CheckDeadlines, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.IngestOutcome, FleetHealth.Fleet" = {{Name}}
            "FleetHealth.Fleet.SensorUnknown, FleetHealth.Fleet" = {{Name}}
          }
          serialization-identifiers {
            "FleetHealth.Fleet.SensorMessageSerializer, FleetHealth.Fleet" = {{Id}}
          }
        }
        """);

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        SensorEnvelope => SensorMessageManifests.Envelope,
        SubmitHeartbeat => SensorMessageManifests.SubmitHeartbeat,
        GetSensorState => SensorMessageManifests.GetState,
        ChangeSensorSettings => SensorMessageManifests.ChangeSettings,
        RegisterSensor => SensorMessageManifests.Register,
        RetireSensor => SensorMessageManifests.Retire,
        ReactivateSensor => SensorMessageManifests.Reactivate,
        TagSettingsChanged => SensorMessageManifests.TagSettingsChanged,
        CheckDeadlines => SensorMessageManifests.CheckDeadlines,
        IngestOutcome => SensorMessageManifests.IngestOutcome,
        SensorUnknown => SensorMessageManifests.Unknown,
        _ => throw CannotSerialize(o),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        SensorEnvelope envelope => WriteEnvelope(envelope),
        SubmitHeartbeat m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.SubmitHeartbeat),
        GetSensorState m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.GetSensorState),
        ChangeSensorSettings m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.ChangeSensorSettings),
        RegisterSensor m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.RegisterSensor),
        RetireSensor m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.RetireSensor),
        ReactivateSensor m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.ReactivateSensor),
        TagSettingsChanged m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.TagSettingsChanged),
        CheckDeadlines => "{}"u8.ToArray(),
        IngestOutcome m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.IngestOutcome),
        SensorUnknown m => JsonSerializer.SerializeToUtf8Bytes(m, SensorMessageJsonContext.Default.SensorUnknown),
        _ => throw CannotSerialize(obj),
    };

    public override object FromBinary(byte[] bytes, string manifest) => Read(bytes, manifest);

    private object Read(ReadOnlySpan<byte> bytes, string manifest) => manifest switch
    {
        SensorMessageManifests.Envelope => ReadEnvelope(bytes),
        SensorMessageManifests.SubmitHeartbeat => Read(bytes, SensorMessageJsonContext.Default.SubmitHeartbeat, manifest),
        SensorMessageManifests.GetState => Read(bytes, SensorMessageJsonContext.Default.GetSensorState, manifest),
        SensorMessageManifests.ChangeSettings => Read(bytes, SensorMessageJsonContext.Default.ChangeSensorSettings, manifest),
        SensorMessageManifests.Register => Read(bytes, SensorMessageJsonContext.Default.RegisterSensor, manifest),
        SensorMessageManifests.Retire => Read(bytes, SensorMessageJsonContext.Default.RetireSensor, manifest),
        SensorMessageManifests.Reactivate => Read(bytes, SensorMessageJsonContext.Default.ReactivateSensor, manifest),
        SensorMessageManifests.TagSettingsChanged => Read(bytes, SensorMessageJsonContext.Default.TagSettingsChanged, manifest),
        SensorMessageManifests.CheckDeadlines => CheckDeadlines.Instance,
        SensorMessageManifests.IngestOutcome => ReadOutcome(bytes),
        SensorMessageManifests.Unknown => SensorUnknown.Instance,
        _ => throw new SerializationException($"Unknown sensor message manifest '{manifest}'."),
    };

    private byte[] WriteEnvelope(SensorEnvelope envelope)
    {
        var inner = system.Serialization.FindSerializerFor(envelope.Message);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(SensorIdProperty, envelope.SensorId);
            writer.WriteString(ManifestProperty, Akka.Serialization.Serialization.ManifestFor(inner, envelope.Message));
            if (inner.Identifier == Id)
            {
                // Ours: the command's JSON inline, readable as one document.
                writer.WritePropertyName(MessageProperty);
                writer.WriteRawValue(ToBinary(envelope.Message), skipInputValidation: true);
            }
            else
            {
                writer.WriteNumber(SerializerIdProperty, inner.Identifier);
                writer.WriteBase64String(PayloadProperty, inner.ToBinary(envelope.Message));
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private SensorEnvelope ReadEnvelope(ReadOnlySpan<byte> bytes)
    {
        string? sensorId = null, manifest = null;
        int? serializerId = null;
        byte[]? payload = null;
        ReadOnlySpan<byte> message = default;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(SensorIdProperty.EncodedUtf8Bytes))
                {
                    Expect(reader.Read());
                    sensorId = reader.GetString();
                }
                else if (reader.ValueTextEquals(ManifestProperty.EncodedUtf8Bytes))
                {
                    Expect(reader.Read());
                    manifest = reader.GetString();
                }
                else if (reader.ValueTextEquals(MessageProperty.EncodedUtf8Bytes))
                {
                    Expect(reader.Read());
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    message = bytes[start..(int)reader.BytesConsumed];
                }
                else if (reader.ValueTextEquals(SerializerIdProperty.EncodedUtf8Bytes))
                {
                    Expect(reader.Read());
                    serializerId = reader.GetInt32();
                }
                else if (reader.ValueTextEquals(PayloadProperty.EncodedUtf8Bytes))
                {
                    Expect(reader.Read());
                    payload = reader.GetBytesFromBase64();
                }
                else
                {
                    Expect(reader.Read());
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SerializationException($"Malformed sensor envelope: {e.Message}", e);
        }

        if (sensorId is null || manifest is null)
        {
            throw new SerializationException("A sensor envelope needs a sensorId and a manifest.");
        }

        var inner = serializerId is { } id
            ? system.Serialization.Deserialize(payload ?? throw new SerializationException("A sensor envelope names a serializer but carries no payload."), id, manifest)
            : !message.IsEmpty ? Read(message, manifest) : throw new SerializationException("A sensor envelope carries no message.");
        return new SensorEnvelope(sensorId, inner);
    }

    private static void Expect(bool condition)
    {
        if (!condition)
        {
            throw new JsonException("unexpected end or token");
        }
    }

    private static IngestOutcome ReadOutcome(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, SensorMessageJsonContext.Default.IngestOutcome);
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Payload of '{SensorMessageManifests.IngestOutcome}' is not an outcome: {e.Message}", e);
        }
    }

    private static T Read<T>(ReadOnlySpan<byte> bytes, JsonTypeInfo<T> type, string manifest) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new SerializationException($"Payload of '{manifest}' is null.");
        }
        catch (JsonException e)
        {
            throw new SerializationException($"Payload of '{manifest}' does not read: {e.Message}", e);
        }
    }

    private static SerializationException CannotSerialize(object o) =>
        new($"{nameof(SensorMessageSerializer)} cannot serialize {o.GetType()}.");
}
