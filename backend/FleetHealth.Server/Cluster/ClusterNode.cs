using System.Buffers;
using System.Security.Cryptography;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// This process as a cluster member: its node id, an incarnation that is new on every start (so a
/// restarted node is told apart from its previous life), and the internal address other nodes
/// forward to, known once the internal endpoint is bound.
/// </summary>
public sealed class ClusterNode
{
    private const int MaxNodeIdLength = 64;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterNode(string nodeId, string secret, DateTimeOffset startedAt)
    {
        NodeId = nodeId;
        Secret = secret;
        StartedAt = startedAt;
    }

    public string NodeId { get; }

    public Guid Incarnation { get; } = Guid.NewGuid();

    public DateTimeOffset StartedAt { get; }

    /// <summary>The shared secret this node sends and expects on the internal channel.</summary>
    internal string Secret { get; }

    /// <summary>Completes when the internal endpoint is bound (the address other nodes use).</summary>
    public Task<Uri> Address => _address.Task;

    internal void Bound(Uri advertised) => _address.TrySetResult(advertised);

    internal void BindFailed(Exception error) => _address.TrySetException(error);

    public static bool IsValidNodeId(string? id) =>
        id is { Length: > 0 and <= MaxNodeIdLength } && !id.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>The host name and the public port: stable across restarts of one node, distinct between nodes of one machine.</summary>
    internal static string DefaultNodeId(string? publicUrls)
    {
        var host = new string([.. Environment.MachineName.Select(c => Allowed.Contains(c) ? c : '-')]);
        var first = publicUrls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var port = first is not null && Uri.TryCreate(first.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            ? uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var id = port is null ? host : $"{host}-{port}";
        return id.Length == 0 ? "node" : id[..Math.Min(id.Length, MaxNodeIdLength)];
    }

    /// <summary>A secret nobody else knows: a lone node needs none, and no other node can reach this one without the configured one.</summary>
    internal static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
