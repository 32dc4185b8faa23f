using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Sharding;

/// <summary>Which engine runs the sensors' actors: the home-made runtime (until it is removed) or Akka.NET.</summary>
public enum FleetEngine
{
    Legacy,
    Akka,
}

/// <summary>
/// Configuration section <c>Fleet</c>: the engine, and on Akka.NET this node's cluster address and
/// seed nodes. With no seed nodes a node joins itself: a lone node is a cluster of one.
/// </summary>
public sealed class FleetEngineOptions : IValidatableObject
{
    public const string Section = "Fleet";

    /// <summary>The actor system's name: part of every node's address, so all nodes must agree.</summary>
    public const string SystemName = "fleethealth";

    public FleetEngine Engine { get; set; } = FleetEngine.Legacy;

    /// <summary>The engine configured, read before the services are built (it decides which are registered).</summary>
    public static FleetEngine EngineOf(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<FleetEngineOptions>()?.Engine ?? FleetEngine.Legacy;

    /// <summary>Address Akka.Remote binds (default loopback: a lone node needs no network).</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>How other nodes reach this one (e.g. the service name in docker-compose). Default: <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>Akka.Remote's TCP port; 0 picks a free one (enough for a lone node, not for a seed node).</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Nodes to join, e.g. <c>akka.tcp://fleethealth@node1:4053</c>; the first seed forms the cluster when it starts alone.</summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>Fixed number of shards (a sensor's shard is a hash of its id modulo this); all nodes of a database must agree.</summary>
    [Range(1, 65536)]
    public int Shards { get; set; } = 256;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var seed in SeedNodes)
        {
            if (!Uri.TryCreate(seed, UriKind.Absolute, out var uri) || uri.Scheme != "akka.tcp" || uri.UserInfo != SystemName || uri.Port <= 0)
            {
                yield return new ValidationResult($"Fleet:SeedNodes entry '{seed}' must look like akka.tcp://{SystemName}@host:port.", [nameof(SeedNodes)]);
            }
        }
    }
}
