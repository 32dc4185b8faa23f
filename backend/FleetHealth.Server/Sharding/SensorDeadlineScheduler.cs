using Akka.Actor;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// The scheduler the sensors' deadline timers run on, when it is not the actor system's: registered
/// by a host whose fleet clock (its <see cref="TimeProvider"/>) is not real time, such as the tests'
/// virtual clock, so that only the sensors' deadlines follow that clock while Akka's own timers
/// (cluster, sharding, leases, the read journal's polling, asks) keep real time. Not registered (as
/// in production): the actor system's scheduler.
/// </summary>
public sealed record SensorDeadlineScheduler(IScheduler Scheduler);
