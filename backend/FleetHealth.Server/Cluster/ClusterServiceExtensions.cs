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
            return new ClusterNode(nodeId, secret, sp.GetRequiredService<TimeProvider>().GetUtcNow());
        });
        builder.Services.AddSingleton<ShardLeases>();
        builder.Services.AddSingleton(sp => new ShardLeaseStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.AddSingleton(sp => new ClusterTransport(
            sp.GetRequiredService<ClusterNode>(), sp.GetRequiredService<ClusterMessageSerializer>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        builder.Services.AddSingleton<ShardCoordinator>();
        builder.Services.AddSingleton<IShardDirectory>(sp => sp.GetRequiredService<ShardCoordinator>());
        builder.Services.AddSingleton<ShardRegion>();
        builder.Services.AddSingleton<ClusterStatusReader>();
        builder.Services.AddHostedService<ClusterEndpoint>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShardCoordinator>());
    }
}
