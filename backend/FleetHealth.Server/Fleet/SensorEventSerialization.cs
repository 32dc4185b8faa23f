using System.Text.Json;
using System.Text.Json.Serialization;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// How sensor events and snapshots are stored: source-generated JSON (no reflection) under stable
/// manifests. A manifest names a shape, not a CLR type: rename freely, but a change that old
/// payloads cannot satisfy needs a new manifest (and an <c>Alias</c> for the old one). Fields added
/// later are simply absent from old payloads and take their defaults.
/// </summary>
public static class SensorEventSerialization
{
    public static EventSerializer Register(EventSerializer serializer) => serializer
        .Register("sensor.registered.v1", SensorEventJsonContext.Default.SensorRegistered)
        .Register("sensor.heartbeat.v1", SensorEventJsonContext.Default.HeartbeatRecorded)
        .Register("sensor.status-changed.v1", SensorEventJsonContext.Default.StatusChanged)
        .Register("sensor.settings-changed.v1", SensorEventJsonContext.Default.SettingsChanged)
        .Register("sensor.reactivated.v1", SensorEventJsonContext.Default.SensorReactivated)
        .Register("sensor.state.v1", SensorEventJsonContext.Default.SensorState);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SensorRegistered))]
[JsonSerializable(typeof(HeartbeatRecorded))]
[JsonSerializable(typeof(StatusChanged))]
[JsonSerializable(typeof(SettingsChanged))]
[JsonSerializable(typeof(SensorReactivated))]
[JsonSerializable(typeof(SensorState))]
internal sealed partial class SensorEventJsonContext : JsonSerializerContext;
