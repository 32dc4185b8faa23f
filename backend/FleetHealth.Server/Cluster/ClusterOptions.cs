using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// Configuration section <c>Cluster</c>. Every node runs the cluster machinery: with defaults a
/// lone node simply owns every shard. Nodes that share one database form a cluster; they must
/// agree on <see cref="Shards"/> and <see cref="Secret"/>.
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>
    /// This node's name in the membership table (1 to 64 of <c>A-Z a-z 0-9 . _ : -</c>). Default:
    /// the host name and the public port, so a node restarted in place keeps its name and takes its
    /// own shards back at once instead of waiting for their leases to expire.
    /// </summary>
    public string? NodeId { get; set; }

    /// <summary>
    /// Where this node listens for other nodes (HTTP/2 without TLS, never the public port). The
    /// default, port 0 on loopback, picks a free port: enough for several nodes on one machine.
    /// </summary>
    public string InternalUrl { get; set; } = "http://127.0.0.1:0";

    /// <summary>How other nodes reach <see cref="InternalUrl"/> (e.g. <c>http://node1:9090</c>). Default: the bound internal address.</summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>
    /// Shared secret every node sends to the others' internal endpoints. Empty: a random one per
    /// process, so a lone node works and a node without it cannot be reached by others (logged).
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>Fixed number of shards; a sensor's shard is a hash of its id modulo this. All nodes of a database must agree.</summary>
    [Range(1, 65536)]
    public int Shards { get; set; } = 256;

    /// <summary>How long a shard lease lasts after its last renewal (PostgreSQL's clock). A dead node's shards move after this.</summary>
    [Range(0.5, 600)]
    public double LeaseSeconds { get; set; } = 10;

    /// <summary>How often a node renews its membership and leases and takes its coordination decisions.</summary>
    [Range(0.05, 60)]
    public double RenewIntervalSeconds { get; set; } = 2;

    /// <summary>
    /// A node stops serving and writing a shard this long before its lease could expire, by its own
    /// monotonic clock (covers clock-rate differences and the time to stop). See ShardLeases.
    /// </summary>
    [Range(0.01, 600)]
    public double SafetyMarginSeconds { get; set; } = 2;

    /// <summary>A member that has not renewed for this long is declared down and no longer counted for fair shares.</summary>
    [Range(0.5, 3600)]
    public double MemberDownAfterSeconds { get; set; } = 10;

    /// <summary>Most shards one node asks others to hand over per round (Akka's rebalance limit).</summary>
    [Range(1, 65536)]
    public int MaxHandoffsPerRound { get; set; } = 32;

    /// <summary>A handoff that cannot stop its shard's actors in this time is abandoned and the shard served again.</summary>
    [Range(1, 600)]
    public double HandoffTimeoutSeconds { get; set; } = 30;

    /// <summary>Most messages this node holds while their shards are between owners; more are refused with 503 at once.</summary>
    [Range(1, 10_000_000)]
    public int MaxBufferedMessages { get; set; } = 100_000;

    /// <summary>Connect timeout towards another node's internal endpoint: a dead node is noticed quickly.</summary>
    [Range(50, 60_000)]
    public int ForwardConnectTimeoutMilliseconds { get; set; } = 1000;

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    public TimeSpan RenewInterval => TimeSpan.FromSeconds(RenewIntervalSeconds);

    public TimeSpan SafetyMargin => TimeSpan.FromSeconds(SafetyMarginSeconds);

    public TimeSpan MemberDownAfter => TimeSpan.FromSeconds(MemberDownAfterSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NodeId is not null && !ClusterNode.IsValidNodeId(NodeId))
        {
            yield return new ValidationResult("Cluster:NodeId must be 1 to 64 characters from A-Z a-z 0-9 . _ : -.", [nameof(NodeId)]);
        }

        if (!IsHttpUrl(InternalUrl) || !IsListenable(new Uri(InternalUrl)))
        {
            yield return new ValidationResult("Cluster:InternalUrl must be http://IP:port or http://localhost:port to listen on, e.g. http://0.0.0.0:9090.", [nameof(InternalUrl)]);
        }

        if (AdvertisedUrl is not null && !IsHttpUrl(AdvertisedUrl))
        {
            yield return new ValidationResult("Cluster:AdvertisedUrl must be an http:// address, e.g. http://node1:9090.", [nameof(AdvertisedUrl)]);
        }

        if (RenewIntervalSeconds * 3 > LeaseSeconds)
        {
            yield return new ValidationResult("Cluster:RenewIntervalSeconds must be at most a third of Cluster:LeaseSeconds.", [nameof(RenewIntervalSeconds)]);
        }

        // After a renewal a node may serve for Lease - SafetyMargin: that must outlast two renewal
        // periods, or one slow round would fence a healthy node.
        if (SafetyMarginSeconds > LeaseSeconds - (2 * RenewIntervalSeconds))
        {
            yield return new ValidationResult("Cluster:SafetyMarginSeconds must be at most Cluster:LeaseSeconds minus two Cluster:RenewIntervalSeconds.", [nameof(SafetyMarginSeconds)]);
        }

        if (MemberDownAfterSeconds < 2 * RenewIntervalSeconds)
        {
            yield return new ValidationResult("Cluster:MemberDownAfterSeconds must be at least two Cluster:RenewIntervalSeconds.", [nameof(MemberDownAfterSeconds)]);
        }
    }

    private static bool IsListenable(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.Host == "localhost";

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query);
}
