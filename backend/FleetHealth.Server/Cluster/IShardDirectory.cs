namespace FleetHealth.Server.Cluster;

/// <summary>Where shards live as far as this node knows (the coordinator's last round), and how to learn more.</summary>
internal interface IShardDirectory
{
    /// <summary>False while this node cannot reach the database: nobody's decision can reach it either.</summary>
    bool CanReachDatabase { get; }

    /// <summary>Why the database is out of reach, if it is.</summary>
    string? LastError { get; }

    /// <summary>The shard's owner and address, if the last round knew one.</summary>
    ShardHome? HomeOf(int shard);

    /// <summary>Asks for a coordination round soon (coalesced).</summary>
    void RequestRound();
}
