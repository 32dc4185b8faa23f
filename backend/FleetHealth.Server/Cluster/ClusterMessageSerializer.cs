using FleetHealth.Actors.Persistence;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// How messages and replies travel between nodes: each registered type under a manifest, as
/// source-generated System.Text.Json (the runtime's <see cref="EventSerializer"/>, so a record that
/// gains a field travels without code here). Only registered manifests are accepted from the wire.
/// </summary>
public sealed class ClusterMessageSerializer(EventSerializer inner)
{
    public EventSerializer Registry => inner;

    public byte[] Serialize(object message, out string manifest) => inner.Serialize(message, out manifest);

    /// <summary>The message, or null when the manifest is unknown or the payload does not fit it (a 400 for the sender).</summary>
    public object? TryDeserialize(string manifest, ReadOnlySpan<byte> payload, out string? error)
    {
        try
        {
            error = null;
            return inner.Deserialize(manifest, payload);
        }
        catch (InvalidOperationException e)
        {
            error = e.Message;
            return null;
        }
        catch (System.Text.Json.JsonException e)
        {
            error = $"payload: {e.Message}";
            return null;
        }
    }
}
