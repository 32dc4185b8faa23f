using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// Configuration section <c>Fleet</c>: this node's Akka.NET cluster address, its seed nodes, the
/// shards and the sensors' passivation and deadline waking. With no seed nodes a node joins itself: a lone node is a cluster of one.
/// </summary>
public sealed class FleetEngineOptions : IValidatableObject
{
    public const string Section = "Fleet";

    /// <summary>The actor system's name: part of every node's address, so all nodes must agree.</summary>
    public const string SystemName = "fleethealth";

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

    /// <summary>
    /// A sensor's actor leaves memory after this long without a message (0: never). Safe because the
    /// deadline keeper wakes it before its next deadline; the price of a short value is a recovery
    /// (a snapshot read and a few events) each time a sensor is heard from again.
    /// </summary>
    [Range(0, 86_400)]
    public double PassivateIdleAfterSeconds { get; set; } = 120;

    /// <summary>How long before a deadline the keeper wakes a sensor that may not be in memory.</summary>
    [Range(0, 3_600)]
    public double DeadlineLookaheadSeconds { get; set; } = 5;

    /// <summary>How long after a wake the keeper wakes a sensor again if the read model still shows the deadline pending.</summary>
    [Range(1, 3_600)]
    public double DeadlineRetrySeconds { get; set; } = 30;

    /// <summary>Most wakes the keeper sends per second (earliest deadline first): paces recovery after a failover.</summary>
    [Range(1, 1_000_000)]
    public int MaxWakesPerSecond { get; set; } = 5_000;

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
