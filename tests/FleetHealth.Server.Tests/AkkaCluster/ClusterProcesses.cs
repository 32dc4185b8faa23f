namespace FleetHealth.Server.Tests.AkkaCluster;

/// <summary>The cluster's test classes start several server processes each: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterProcesses
{
    public const string Name = "Cluster processes";
}
