using System.Text.Json;
using System.Text.Json.Serialization;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Fleet;

/// <summary>
/// The JSON of the sensor commands and replies that travel between nodes
/// (<see cref="SensorMessageSerializer"/>), source-generated: each record is written whole, so a
/// command that gains a field travels without a change here (old nodes ignore it, new ones read
/// its default from an old node's message).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(SensorIdJsonConverter), typeof(TagSetJsonConverter)])]
[JsonSerializable(typeof(SubmitHeartbeat))]
[JsonSerializable(typeof(GetSensorState))]
[JsonSerializable(typeof(ChangeSensorSettings))]
[JsonSerializable(typeof(RegisterSensor))]
[JsonSerializable(typeof(RetireSensor))]
[JsonSerializable(typeof(ReactivateSensor))]
[JsonSerializable(typeof(TagSettingsChanged))]
[JsonSerializable(typeof(IngestOutcome))]
[JsonSerializable(typeof(SensorUnknown))]
internal sealed partial class SensorMessageJsonContext : JsonSerializerContext;

/// <summary>
/// The wire names of the sensor's messages (the previous release's names, plus the envelope and the
/// tag announcement). A manifest names a shape: a change an older node cannot read needs a new one.
/// </summary>
public static class SensorMessageManifests
{
    public const string Envelope = "sensor.envelope";
    public const string SubmitHeartbeat = "sensor.submit-heartbeat";
    public const string GetState = "sensor.get-state";
    public const string ChangeSettings = "sensor.change-settings";
    public const string Register = "sensor.register";
    public const string Retire = "sensor.retire";
    public const string Reactivate = "sensor.reactivate";
    public const string TagSettingsChanged = "sensor.tag-settings-changed";
    public const string CheckDeadlines = "sensor.check-deadlines";
    public const string IngestOutcome = "sensor.ingest-outcome";
    public const string Unknown = "sensor.unknown";
}

/// <summary>A sensor id on the wire: its text, parsed (and so validated) on arrival.</summary>
internal sealed class SensorIdJsonConverter : JsonConverter<SensorId>
{
    public override SensorId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SensorId.TryParse(reader.GetString(), out var id, out var error) ? id : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, SensorId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

/// <summary>
/// A set of tags on the wire: a JSON array, read into an ordinal <see cref="HashSet{T}"/>
/// (System.Text.Json cannot make an <see cref="IReadOnlySet{T}"/> by itself).
/// </summary>
internal sealed class TagSetJsonConverter : JsonConverter<IReadOnlySet<string>>
{
    public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A tag set is a JSON array.");
        }

        var tags = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            tags.Add(reader.GetString() ?? throw new JsonException("A tag is a string."));
        }

        return tags;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var tag in value)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
    }
}
