namespace FleetHealth.Server.Notifications;

/// <summary>
/// A period in which no node of FleetHealth wrote its pulse (all were down, or the database was):
/// the monitor could not hear the fleet. <c>HeldSensors</c>: sensors whose silence transitions
/// were projected late after it and so held (README, "The monitor's own outage"); of them
/// <c>DroppedSensors</c> beat again within the recount and were never alerted.
/// </summary>
public sealed record MonitorOutageView(long Id, DateTimeOffset StartedAt, DateTimeOffset EndedAt, double Seconds, long HeldSensors, long DroppedSensors);

/// <summary>The most recent outages, newest first; <c>GraceSeconds</c> is the shortest gap counted as one.</summary>
public sealed record MonitorOutageList(IReadOnlyList<MonitorOutageView> Items, double GraceSeconds);
