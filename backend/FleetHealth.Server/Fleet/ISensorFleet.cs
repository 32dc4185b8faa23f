using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// The way into the sensors' actors from the API and ingestion, whatever engine runs them: one
/// typed reply per command, engine failures surfaced as <see cref="SensorUnavailableException"/>
/// only, so no handler catches an engine's exception or takes an engine type.
/// </summary>
public interface ISensorFleet
{
    /// <summary>
    /// The sensor actor's reply to <paramref name="command"/> (a record of FleetHealth.Fleet's
    /// SensorMessages), sent only after the events it caused are durable.
    /// </summary>
    /// <exception cref="SensorUnavailableException">No reply in time, or the write failed: answer 503, never success.</exception>
    Task<object> AskAsync(SensorId id, object command, CancellationToken cancellationToken);

    /// <summary>The sensor's state if its actor is in memory now (read-your-writes), else null; never starts an actor.</summary>
    /// <exception cref="SensorUnavailableException">The actor did not answer in time.</exception>
    Task<SensorState?> StateIfResidentAsync(SensorId id, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the sensors resident on this node that the settings of <paramref name="tags"/> changed
    /// (every node reloads on the database's notification, so each tells its own); returns how many were told.
    /// </summary>
    Task<int> AnnounceTagSettingsChangedAsync(IReadOnlySet<string> tags, CancellationToken cancellationToken);

    /// <summary>Sensor actors in memory on this node.</summary>
    Task<int> ResidentSensorsAsync(CancellationToken cancellationToken);
}
