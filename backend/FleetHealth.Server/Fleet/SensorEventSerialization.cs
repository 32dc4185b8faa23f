using FleetHealth.Actors.Persistence;
using FleetHealth.Fleet;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// How sensor events and snapshots are stored: source-generated JSON (no reflection) under stable
/// manifests. A manifest names a shape, not a CLR type: rename freely, but a change that old
/// payloads cannot satisfy needs a new manifest (and an <c>Alias</c> for the old one). Fields added
/// later are simply absent from old payloads and take their defaults. The JSON contract itself is
/// <see cref="SensorEventJsonContext"/> (FleetHealth.Fleet), shared with Akka's <c>SensorEventSerializer</c>,
/// so both runtimes write and read the same rows.
/// </summary>
public static class SensorEventSerialization
{
    public static EventSerializer Register(EventSerializer serializer) => serializer
        .Register(SensorEventManifests.Registered, SensorEventJsonContext.Default.SensorRegistered)
        .Register(SensorEventManifests.Heartbeat, SensorEventJsonContext.Default.HeartbeatRecorded)
        .Register(SensorEventManifests.StatusChanged, SensorEventJsonContext.Default.StatusChanged)
        .Register(SensorEventManifests.SettingsChanged, SensorEventJsonContext.Default.SettingsChanged)
        .Register(SensorEventManifests.Reactivated, SensorEventJsonContext.Default.SensorReactivated)
        .Register(SensorEventManifests.State, SensorEventJsonContext.Default.SensorState);
}
