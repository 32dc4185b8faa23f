using FleetHealth.Server.Membership;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Cluster;

internal static class ClusterServiceExtensions
{
    /// <summary>
    /// Membership, shard leases, the shard region and the internal endpoint. Every node runs them:
    /// a lone node is a cluster of one that owns every shard. The entities (IShardedEntities), the
    /// journal's fencing (JournalFencing) and the message serializer come from the feature that
    /// shards its actors (AddFleet).
    /// </summary>
    /// <remarks>
    /// The cluster keeps real time (<see cref="TimeProvider.System"/>) whatever the fleet's clock
    /// (the registered <see cref="TimeProvider"/>, virtual in tests): leases, renewals and the node's
    /// fencing deadline are about processes and PostgreSQL, not about when heartbeats arrive.
    /// </remarks>
    public static void AddCluster(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterOptions>()
            .BindConfiguration(ClusterOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            var nodeId = options.NodeId ?? ClusterNode.DefaultNodeId(builder.Configuration["urls"]);
            var secret = string.IsNullOrEmpty(options.Secret) ? ClusterNode.RandomSecret() : options.Secret;
            return new ClusterNode(nodeId, secret, TimeProvider.System.GetUtcNow());
        });
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ShardLeases>(sp, TimeProvider.System));
        builder.Services.AddSingleton(sp => new ShardLeaseStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.AddSingleton(sp => new ClusterTransport(
            sp.GetRequiredService<ClusterNode>(), sp.GetRequiredService<ClusterMessageSerializer>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ShardCoordinator>(sp, TimeProvider.System));
        builder.Services.AddSingleton<IShardDirectory>(sp => sp.GetRequiredService<ShardCoordinator>());
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ShardRegion>(sp, TimeProvider.System));
        builder.Services.AddSingleton<ClusterStatusReader>();
        builder.Services.AddSingleton<IClusterMembership>(sp => sp.GetRequiredService<ClusterStatusReader>());
        builder.Services.AddHostedService<ClusterEndpoint>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShardCoordinator>());
    }
}
