using System.Collections.Concurrent;

namespace FleetHealth.Actors;

/// <summary>The registry: actors by id, created on demand, found, enumerated and stopped.</summary>
public sealed partial class ActorSystem
{
    private readonly ConcurrentDictionary<string, ActorCell> _actors = new(StringComparer.Ordinal);
    private long _anonymous;

    /// <summary>Actors currently registered (started and not yet stopped).</summary>
    public int ActorCount => _actors.Count;

    /// <summary>Timers currently armed on the system's timing wheel (all actors).</summary>
    public int ArmedTimers => Wheel.Count;

    /// <summary>Creates and starts an actor under <paramref name="id"/> (a generated one when null).</summary>
    /// <exception cref="ActorAlreadyExistsException">An actor with this id is registered.</exception>
    public IActorRef ActorOf(Props props, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        id ??= $"$a{Interlocked.Increment(ref _anonymous)}";
        var cell = new ActorCell(this, props, id);
        cell.PrimeCreate();
        if (!_actors.TryAdd(id, cell))
        {
            throw new ActorAlreadyExistsException($"An actor with id '{id}' already exists.");
        }

        cell.Schedule();
        return cell;
    }

    /// <summary>
    /// The actor registered under <paramref name="id"/>, created from <paramref name="props"/> if there is
    /// none (first use, or after it was passivated or stopped). Safe to call concurrently: exactly one
    /// incarnation is registered per id. This is how a server addresses one persistent actor per entity id.
    /// </summary>
    public IActorRef GetOrCreate(string id, Props props) => GetOrCreateCell(id, props);

    internal ActorCell GetOrCreateCell(string id, Props props)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(props);
        while (true)
        {
            if (_actors.TryGetValue(id, out var existing))
            {
                return existing;
            }

            var cell = new ActorCell(this, props, id);
            cell.PrimeCreate();
            if (_actors.TryAdd(id, cell))
            {
                cell.Schedule();
                return cell;
            }
        }
    }

    /// <summary>Finds a registered actor.</summary>
    public bool TryGet(string id, out IActorRef actor)
    {
        var found = _actors.TryGetValue(id, out var cell);
        actor = cell!;
        return found;
    }

    /// <summary>A snapshot of the registered actors whose id matches (for example all actors of one shard).</summary>
    public IReadOnlyList<IActorRef> Select(Func<string, bool> idPredicate)
    {
        ArgumentNullException.ThrowIfNull(idPredicate);
        return _actors.Where(pair => idPredicate(pair.Key)).Select(pair => (IActorRef)pair.Value).ToList();
    }

    /// <summary>
    /// Stops the actor gracefully (like Akka's PoisonPill): messages queued before the stop are handled
    /// first, and an in-flight persist completes (its event is durable and its handler ran) before the
    /// actor stops. Messages arriving later become dead letters. Completes when the actor has stopped.
    /// </summary>
    public Task StopAsync(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is not ActorCell cell || !ReferenceEquals(cell.System, this))
        {
            throw new ArgumentException("Not an actor of this system.", nameof(actor));
        }

        var terminated = cell.WhenTerminated;
        cell.Post(new Envelope(Stop.Instance, null));
        return terminated;
    }

    /// <summary>Stops every matching actor as <see cref="StopAsync"/> does (for example to hand a shard over) and waits for all.</summary>
    public Task StopAllAsync(Func<string, bool> idPredicate) => Task.WhenAll(Select(idPredicate).Select(StopAsync));

    internal void Unregister(ActorCell cell) => _actors.TryRemove(new KeyValuePair<string, ActorCell>(cell.Id, cell));
}
