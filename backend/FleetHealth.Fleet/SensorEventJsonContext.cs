using System.Text.Json;
using System.Text.Json.Serialization;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// The one JSON contract of sensor events and snapshots, source-generated (no reflection).
/// <see cref="SensorEventSerializer"/> writes through it, as the previous release's journal did, so
/// the rows that release wrote (carried over by migration 0017) read back unchanged. Changing these options changes every
/// stored payload: don't, add a manifest instead.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SensorRegistered))]
[JsonSerializable(typeof(HeartbeatRecorded))]
[JsonSerializable(typeof(StatusChanged))]
[JsonSerializable(typeof(SettingsChanged))]
[JsonSerializable(typeof(SensorReactivated))]
[JsonSerializable(typeof(SensorState))]
public sealed partial class SensorEventJsonContext : JsonSerializerContext;

/// <summary>
/// The stored names of the sensor's payload shapes. A manifest names a shape, not a CLR type:
/// rename types freely, but a change old payloads cannot satisfy needs a new manifest.
/// </summary>
public static class SensorEventManifests
{
    public const string Registered = "sensor.registered.v1";
    public const string Heartbeat = "sensor.heartbeat.v1";
    public const string StatusChanged = "sensor.status-changed.v1";
    public const string SettingsChanged = "sensor.settings-changed.v1";
    public const string Reactivated = "sensor.reactivated.v1";
    public const string State = "sensor.state.v1";
}
