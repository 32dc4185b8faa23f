using System.Runtime.CompilerServices;
using FleetHealth.Actors;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Cluster;
using Npgsql;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// The sensor actors as the cluster's sharded entities: entity id = sensor id, journal stream
/// "sensor/{id}". When a shard arrives on this node (at start, by takeover or handoff), its sensors
/// that still have a deadline are woken so that their timers run again from their last heartbeat:
/// sensors the read model shows alive, plus any in journal events the projection has not applied
/// yet. Dead and retired sensors stay asleep until they are heard from.
/// </summary>
internal sealed class SensorShardEntities(SensorFleet fleet, ActorSystem system, NpgsqlDataSource dataSource) : IShardedEntities
{
    private static readonly int PrefixLength = SensorFleet.IdPrefix.Length;

    private static readonly string SleepersSql = $"""
        SELECT sensor_id FROM sensors
        WHERE status NOT IN ('dead', 'retired') AND ($1 OR fleethealth_shard_of(sensor_id, $2) = ANY($3))
        UNION
        SELECT substr(persistence_id, {PrefixLength + 1}) FROM journal
        WHERE ordering > coalesce((SELECT "offset" FROM projection_offsets WHERE projection = '{ReadModelProjectionName.Value}'), 0)
          AND starts_with(persistence_id, '{SensorFleet.IdPrefix}')
          AND ($1 OR fleethealth_shard_of(substr(persistence_id, {PrefixLength + 1}), $2) = ANY($3))
        """;

    public bool IsValidEntityId(string entityId, out string? error) => SensorId.TryParse(entityId, out _, out error);

    public string? EntityIdOf(string persistenceId) => SensorFleet.SensorIdOf(persistenceId);

    /// <summary>Decisions wait for the tag settings: a sensor must never be judged by rules that ignore them.</summary>
    public async Task<object> AskAsync(string entityId, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await fleet.WhenPolicyLoadedAsync(cancellationToken);
        return await fleet.Sensor(SensorFleet.IdPrefix + entityId).Ask(message, timeout, cancellationToken);
    }

    public async Task<object?> AskIfResidentAsync(string entityId, object message, TimeSpan timeout, CancellationToken cancellationToken) =>
        system.TryGet(SensorFleet.IdPrefix + entityId, out var actor) ? await actor.Ask(message, timeout, cancellationToken) : null;

    public Task StopAsync(Func<string, bool> entityIdFilter) =>
        system.StopAllAsync(id => EntityIdOf(id) is { } entityId && entityIdFilter(entityId));

    public async IAsyncEnumerable<string> SleepersAsync(IReadOnlyCollection<int> shards, int shardCount, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Woken sensors arm their deadlines under the rules in force: wait until the tag settings are in.
        await fleet.Policy.Loaded.WaitAsync(cancellationToken);
        await using var command = dataSource.CreateCommand(SleepersSql);
        command.Parameters.Add(new NpgsqlParameter { Value = shards.Count >= shardCount });
        command.Parameters.Add(new NpgsqlParameter { Value = shardCount });
        command.Parameters.Add(new NpgsqlParameter { Value = shards.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader.GetString(0);
        }
    }

    public void Wake(string entityId) => fleet.Sensor(SensorFleet.IdPrefix + entityId);
}
