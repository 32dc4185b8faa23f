using System.Text.Json;
using System.Text.Json.Serialization;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// The sensor commands and replies that travel between nodes (Fleet/SensorMessages.cs), each
/// serialized whole by source-generated System.Text.Json under a manifest: a command record that
/// gains a field travels without a change here. Replies reuse the snapshot shape of the state.
/// </summary>
internal static class SensorClusterMessages
{
    public static EventSerializer Register(EventSerializer serializer) => serializer
        .Register("sensor.submit-heartbeat", SensorClusterJsonContext.Default.SubmitHeartbeat)
        .Register("sensor.get-state", SensorClusterJsonContext.Default.GetSensorState)
        .Register("sensor.change-settings", SensorClusterJsonContext.Default.ChangeSensorSettings)
        .Register("sensor.register", SensorClusterJsonContext.Default.RegisterSensor)
        .Register("sensor.retire", SensorClusterJsonContext.Default.RetireSensor)
        .Register("sensor.reactivate", SensorClusterJsonContext.Default.ReactivateSensor)
        .Register("sensor.ingest-outcome", SensorClusterJsonContext.Default.IngestOutcome)
        .Register("sensor.unknown", SensorClusterJsonContext.Default.SensorUnknown)
        .Register("sensor.state", SensorEventJsonContext.Default.SensorState);
}

/// <summary>A sensor id on the wire: its text, parsed (and so validated) on arrival.</summary>
internal sealed class SensorIdJsonConverter : JsonConverter<SensorId>
{
    public override SensorId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SensorId.TryParse(reader.GetString(), out var id, out var error) ? id : throw new JsonException(error);

    public override void Write(Utf8JsonWriter writer, SensorId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, Converters = [typeof(SensorIdJsonConverter)])]
[JsonSerializable(typeof(SubmitHeartbeat))]
[JsonSerializable(typeof(GetSensorState))]
[JsonSerializable(typeof(ChangeSensorSettings))]
[JsonSerializable(typeof(RegisterSensor))]
[JsonSerializable(typeof(RetireSensor))]
[JsonSerializable(typeof(ReactivateSensor))]
[JsonSerializable(typeof(IngestOutcome))]
[JsonSerializable(typeof(SensorUnknown))]
internal sealed partial class SensorClusterJsonContext : JsonSerializerContext;
