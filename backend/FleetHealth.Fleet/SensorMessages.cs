using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
namespace FleetHealth.Fleet;

/// <summary>
/// A heartbeat for the sensor actor; the reply (an <see cref="IngestOutcome"/>) comes once it is
/// durable. <paramref name="RequiredTag"/>: the sender's key is limited to sensors with this tag
/// (null: any sensor); the sensor decides, since only it knows its tags.
/// </summary>
public sealed record SubmitHeartbeat(Heartbeat Heartbeat, string? RequiredTag = null);

/// <summary>Operator: change interval, grace, tags. Replies with the sensor's <see cref="SensorState"/>, or <see cref="SensorUnknown"/>.</summary>
public sealed record ChangeSensorSettings(SensorSettings Settings);

/// <summary>Operator: end the sensor's lifespan. Replies with its <see cref="SensorState"/>, or <see cref="SensorUnknown"/>.</summary>
public sealed record RetireSensor;

/// <summary>Operator: put a retired sensor back under watch. Replies with its <see cref="SensorState"/>, or <see cref="SensorUnknown"/>.</summary>
public sealed record ReactivateSensor;

/// <summary>Provisioning: make the sensor known before it is heard from. Replies with its <see cref="SensorState"/>.</summary>
public sealed record RegisterSensor;

/// <summary>Asks for the sensor's current state (no persistence).</summary>
public sealed record GetSensorState;

/// <summary>The reply for a sensor that has never been registered or heard from.</summary>
public sealed record SensorUnknown
{
    public static SensorUnknown Instance { get; } = new();
}

/// <summary>
/// The settings of these tags changed on this node's <see cref="FleetPolicy"/>: a sensor that carries
/// one re-evaluates its deadlines under the new rules (turning late at once, stamped at the new
/// deadline, if that is already past) and re-arms its timer.
/// </summary>
public sealed record TagSettingsChanged(IReadOnlySet<string> Tags);

/// <summary>
/// From the deadline keeper: a deadline of this sensor is due (or about to be) and the sensor may not
/// be in memory. Delivering it starts the actor if need be (recovery decides the deadlines that passed);
/// a resident actor decides what is due now and re-arms its timer. No reply.
/// </summary>
public sealed record CheckDeadlines
{
    public static CheckDeadlines Instance { get; } = new();
}
