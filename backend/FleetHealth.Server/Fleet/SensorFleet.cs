using FleetHealth.Actors;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Fleet;

/// <summary>The sensor actors of this node: one per sensor id, created on first use.</summary>
public sealed class SensorFleet
{
    /// <summary>Registry and journal stream ids are "sensor/{id}": the id alphabet has no '/', so the prefix is unambiguous.</summary>
    public const string IdPrefix = "sensor/";

    private readonly ActorSystem _system;
    private readonly Props _props;

    /// <summary>A fleet whose rules are the configuration alone (no tag settings from a database).</summary>
    public SensorFleet(ActorSystem system, IOptions<LivenessOptions> options)
        : this(system, options, FleetPolicy.Fixed(options.Value.ToPolicy()))
    {
    }

    public SensorFleet(ActorSystem system, IOptions<LivenessOptions> options, FleetPolicy policy)
    {
        _system = system;
        Options = options.Value;
        Policy = policy;
        var autoRegister = Options.AutoRegister;
        var snapshotEvery = Options.SnapshotEvery;
        var clock = system.Clock;
        // No passivation: an idle sensor's timer is what turns it late, stale and dead.
        _props = Props.Create(() => new SensorActor(policy, autoRegister, snapshotEvery, clock)).WithPassivation(false);
    }

    public LivenessOptions Options { get; }

    /// <summary>The rules in force on this node (fleet configuration plus tag settings).</summary>
    public FleetPolicy Policy { get; }

    public TimeSpan AckTimeout => TimeSpan.FromSeconds(Options.AckTimeoutSeconds);

    public int ResidentSensors => _system.ActorCount;

    /// <summary>The sensor id behind a journal stream, or null for a stream that is not a sensor's.</summary>
    public static string? SensorIdOf(string persistenceId) =>
        persistenceId.StartsWith(IdPrefix, StringComparison.Ordinal) ? persistenceId[IdPrefix.Length..] : null;

    public IActorRef Sensor(SensorId id) => _system.GetOrCreate(IdPrefix + id.Value, _props);

    public IActorRef Sensor(string persistenceId) => _system.GetOrCreate(persistenceId, _props);

    /// <summary>
    /// Waits (up to the ack timeout) until the tag settings are loaded, so that no decision is made
    /// under rules that ignore them; throws <see cref="TimeoutException"/> when they cannot be loaded.
    /// </summary>
    public Task WhenPolicyLoadedAsync(CancellationToken cancellationToken) =>
        Policy.IsLoaded ? Task.CompletedTask : Policy.Loaded.WaitAsync(AckTimeout, cancellationToken);

    /// <summary>
    /// Tells every sensor resident on this node that the settings of <paramref name="tags"/> changed;
    /// those that carry one re-evaluate their deadline under the new rules. Whichever node holds a
    /// sensor hears the change (every node reloads on the database's notification).
    /// </summary>
    public int AnnounceTagSettingsChanged(IReadOnlySet<string> tags)
    {
        if (tags.Count == 0)
        {
            return 0;
        }

        var message = new TagSettingsChanged(tags);
        var residents = _system.Select(id => id.StartsWith(IdPrefix, StringComparison.Ordinal));
        foreach (var sensor in residents)
        {
            sensor.Tell(message);
        }

        return residents.Count;
    }

    /// <summary>The sensor's actor if it lives on this node now; reads must not create actors for ids nobody sent.</summary>
    public bool TryGetResident(SensorId id, out IActorRef actor) => _system.TryGet(IdPrefix + id.Value, out actor);
}
