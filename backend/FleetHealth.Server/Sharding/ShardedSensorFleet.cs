using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// The sensors on Akka.Cluster.Sharding: every command goes through this node's shard region, which
/// delivers it to the sensor's actor on whichever node holds its shard (starting the actor there if
/// it is not in memory) and routes the reply back.
/// </summary>
/// <remarks>
/// A reply is waited for at most <see cref="LivenessOptions.AckTimeoutSeconds"/>: a shard between
/// owners (its node died and is not yet downed, its lease not yet free) or a failed persist answers
/// <see cref="SensorUnavailableException"/>, never a success. Commands wait for the tag settings to
/// be loaded, so no sensor is judged by rules that ignore them.
/// </remarks>
internal sealed class ShardedSensorFleet(IRequiredActor<SensorRegion> region, FleetPolicy policy, DeadlineKeeper deadlines, IOptions<LivenessOptions> options) : ISensorFleet
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.AckTimeoutSeconds);
    private long _unavailable;

    /// <summary>Commands not answered in time (answered 503) since start.</summary>
    public long Unavailable => Interlocked.Read(ref _unavailable);

    public async Task<object> AskAsync(SensorId id, object command, CancellationToken cancellationToken)
    {
        await WhenPolicyLoadedAsync(id, cancellationToken);
        try
        {
            var reply = await region.ActorRef.Ask<object>(new SensorEnvelope(id.Value, command), _timeout, cancellationToken);
            return reply is Status.Failure failure ? throw Refused(id, failure.Cause) : reply;
        }
        catch (AskTimeoutException e)
        {
            throw Refused(id, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not SensorUnavailableException)
        {
            // The actor answered with a failure: its write failed or was refused (Ask rethrows Status.Failure's cause).
            throw Refused(id, e);
        }
    }

    /// <remarks>
    /// On Akka the sensor's actor is asked wherever it lives, started if need be: the answer is the
    /// sensor's durable state (read-your-writes on any node). A sensor nobody knows answers
    /// <see cref="SensorUnknown"/> and its actor passivates itself at once.
    /// </remarks>
    public async Task<SensorState?> StateIfResidentAsync(SensorId id, CancellationToken cancellationToken) =>
        await AskAsync(id, new GetSensorState(), cancellationToken) as SensorState;

    public async Task<int> AnnounceTagSettingsChangedAsync(IReadOnlySet<string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return 0;
        }

        // Sensors not in memory are re-timed by the keeper (on the node that keeps it).
        deadlines.TagsChanged(tags);
        var message = new TagSettingsChanged(tags);
        var told = 0;
        foreach (var sensorId in await ResidentIdsAsync(cancellationToken))
        {
            region.ActorRef.Tell(new SensorEnvelope(sensorId, message));
            told++;
        }

        return told;
    }

    /// <summary>Counts from the region's per-shard statistics: no list of ids is built for a status read.</summary>
    public async Task<int> ResidentSensorsAsync(CancellationToken cancellationToken)
    {
        var stats = await region.ActorRef.Ask<ShardRegionStats>(GetShardRegionStats.Instance, _timeout, cancellationToken);
        return stats.Stats.Values.Sum();
    }

    /// <summary>The sensors whose actors are in memory on this node, from this node's shard region.</summary>
    private async Task<IReadOnlyList<string>> ResidentIdsAsync(CancellationToken cancellationToken)
    {
        var state = await region.ActorRef.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, _timeout, cancellationToken);
        return [.. state.Shards.SelectMany(shard => shard.EntityIds)];
    }

    private async Task WhenPolicyLoadedAsync(SensorId id, CancellationToken cancellationToken)
    {
        if (policy.IsLoaded)
        {
            return;
        }

        try
        {
            await policy.Loaded.WaitAsync(_timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw Refused(id, e);
        }
    }

    private SensorUnavailableException Refused(SensorId id, Exception cause)
    {
        Interlocked.Increment(ref _unavailable);
        return new SensorUnavailableException($"Sensor '{id}' did not answer in time.", cause);
    }
}
