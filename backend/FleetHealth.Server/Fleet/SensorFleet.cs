using FleetHealth.Actors;
using FleetHealth.Server.Liveness;
using FleetHealth.Server.Sensors;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Fleet;

/// <summary>The sensor actors of this node: one per sensor id, created on first use.</summary>
public sealed class SensorFleet
{
    /// <summary>Registry and journal stream ids are "sensor/{id}": the id alphabet has no '/', so the prefix is unambiguous.</summary>
    public const string IdPrefix = "sensor/";

    private readonly ActorSystem _system;
    private readonly Props _props;

    public SensorFleet(ActorSystem system, IOptions<LivenessOptions> options)
    {
        _system = system;
        Options = options.Value;
        Policy = Options.ToPolicy();
        var policy = Policy;
        var autoRegister = Options.AutoRegister;
        var clock = system.Clock;
        // No passivation: an idle sensor's timer is what turns it late, stale and dead.
        _props = Props.Create(() => new SensorActor(policy, autoRegister, clock)).WithPassivation(false);
    }

    public LivenessOptions Options { get; }

    public LivenessPolicy Policy { get; }

    public TimeSpan AckTimeout => TimeSpan.FromSeconds(Options.AckTimeoutSeconds);

    public int ResidentSensors => _system.ActorCount;

    /// <summary>The sensor id behind a journal stream, or null for a stream that is not a sensor's.</summary>
    public static string? SensorIdOf(string persistenceId) =>
        persistenceId.StartsWith(IdPrefix, StringComparison.Ordinal) ? persistenceId[IdPrefix.Length..] : null;

    public IActorRef Sensor(SensorId id) => _system.GetOrCreate(IdPrefix + id.Value, _props);

    public IActorRef Sensor(string persistenceId) => _system.GetOrCreate(persistenceId, _props);

    /// <summary>The sensor's actor if it lives on this node now; reads must not create actors for ids nobody sent.</summary>
    public bool TryGetResident(SensorId id, out IActorRef actor) => _system.TryGet(IdPrefix + id.Value, out actor);
}
