using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Fleet;

/// <summary>
/// Akka serializer of the sensor's journal events and snapshot: the same JSON bytes and manifests
/// as today's journal rows (<see cref="SensorEventJsonContext"/>, <see cref="SensorEventManifests"/>),
/// so a row stays readable JSON and rows carry over from today's journal as they are.
/// Registered by <see cref="Config"/> (HOCON; with Akka.Hosting, add it with <c>AddHocon</c>).
/// </summary>
/// <remarks>
/// The identifier <see cref="Id"/> is stored beside every payload by Akka's journals: never change it.
/// An unknown manifest throws <see cref="SerializationException"/>, so recovery fails loudly
/// instead of skipping an event.
/// </remarks>
public sealed class SensorEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>The serializer's stable identifier (Akka reserves 0–100 for its own).</summary>
    public const int Id = 7201;

    /// <summary>The name the serializer is registered under in <c>akka.actor.serializers</c>.</summary>
    public const string Name = "fleethealth-sensor";

    /// <summary>
    /// The HOCON that registers the serializer and binds the event base type and the snapshot to it;
    /// bindings match subclasses, so every <see cref="SensorEvent"/> goes through it.
    /// </summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers {
            {{Name}} = "FleetHealth.Fleet.SensorEventSerializer, FleetHealth.Fleet"
          }
          serialization-bindings {
            "FleetHealth.Domain.Liveness.SensorEvent, FleetHealth.Domain" = {{Name}}
            "FleetHealth.Domain.Liveness.SensorState, FleetHealth.Domain" = {{Name}}
          }
          serialization-identifiers {
            "FleetHealth.Fleet.SensorEventSerializer, FleetHealth.Fleet" = {{Id}}
          }
        }
        """);

    public override int Identifier => Id;

    public override string Manifest(object o) => ManifestOf(o);

    public override byte[] ToBinary(object obj) => Encode(obj);

    public override object FromBinary(byte[] bytes, string manifest) => Decode(bytes, manifest);

    /// <summary>The manifest <see cref="Manifest"/> gives, without an actor system.</summary>
    public static string ManifestOf(object o) => o switch
    {
        SensorRegistered => SensorEventManifests.Registered,
        HeartbeatRecorded => SensorEventManifests.Heartbeat,
        StatusChanged => SensorEventManifests.StatusChanged,
        SettingsChanged => SensorEventManifests.SettingsChanged,
        SensorReactivated => SensorEventManifests.Reactivated,
        SensorState => SensorEventManifests.State,
        _ => throw new SerializationException($"{nameof(SensorEventSerializer)} cannot serialize {o.GetType()}."),
    };

    /// <summary>
    /// What <see cref="ToBinary"/> writes, without an actor system: for writers of journal rows
    /// outside Akka (migrations' tests, fixtures). Throws <see cref="SerializationException"/> as it does.
    /// </summary>
    public static byte[] Encode(object obj) => obj switch
    {
        SensorRegistered e => JsonSerializer.SerializeToUtf8Bytes(e, SensorEventJsonContext.Default.SensorRegistered),
        HeartbeatRecorded e => JsonSerializer.SerializeToUtf8Bytes(e, SensorEventJsonContext.Default.HeartbeatRecorded),
        StatusChanged e => JsonSerializer.SerializeToUtf8Bytes(e, SensorEventJsonContext.Default.StatusChanged),
        SettingsChanged e => JsonSerializer.SerializeToUtf8Bytes(e, SensorEventJsonContext.Default.SettingsChanged),
        SensorReactivated e => JsonSerializer.SerializeToUtf8Bytes(e, SensorEventJsonContext.Default.SensorReactivated),
        SensorState s => JsonSerializer.SerializeToUtf8Bytes(s, SensorEventJsonContext.Default.SensorState),
        _ => throw new SerializationException($"{nameof(SensorEventSerializer)} cannot serialize {obj.GetType()}."),
    };

    /// <summary>
    /// What <see cref="FromBinary"/> returns, without an actor system: for readers of the journal's
    /// rows outside Akka (the read-model rebuild). Throws <see cref="SerializationException"/> as it does.
    /// </summary>
    public static object Decode(byte[] bytes, string manifest) => manifest switch
    {
        SensorEventManifests.Registered => Read(bytes, SensorEventJsonContext.Default.SensorRegistered, manifest),
        SensorEventManifests.Heartbeat => Read(bytes, SensorEventJsonContext.Default.HeartbeatRecorded, manifest),
        SensorEventManifests.StatusChanged => Read(bytes, SensorEventJsonContext.Default.StatusChanged, manifest),
        SensorEventManifests.SettingsChanged => Read(bytes, SensorEventJsonContext.Default.SettingsChanged, manifest),
        SensorEventManifests.Reactivated => Read(bytes, SensorEventJsonContext.Default.SensorReactivated, manifest),
        SensorEventManifests.State => Read(bytes, SensorEventJsonContext.Default.SensorState, manifest),
        _ => throw new SerializationException($"Unknown sensor payload manifest '{manifest}'."),
    };

    private static T Read<T>(byte[] bytes, JsonTypeInfo<T> type, string manifest) where T : class =>
        JsonSerializer.Deserialize(bytes, type) ?? throw new SerializationException($"Payload of '{manifest}' is null.");
}
