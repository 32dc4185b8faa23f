using FleetHealth.Fleet;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>
/// Journal payloads as the previous release wrote them into its <c>journal</c> and <c>snapshots</c>
/// tables: the same JSON under the same manifests as <see cref="SensorEventSerializer"/> writes now.
/// </summary>
internal static class SensorPayloads
{
    public static byte[] Serialize(object value, out string manifest)
    {
        manifest = SensorEventSerializer.ManifestOf(value);
        return SensorEventSerializer.Encode(value);
    }

    public static object Deserialize(string manifest, byte[] payload) => SensorEventSerializer.Decode(payload, manifest);
}
