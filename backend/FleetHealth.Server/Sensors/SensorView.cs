namespace FleetHealth.Server.Sensors;

/// <summary>A sensor as the API shows it.</summary>
public sealed record SensorView(string SensorId, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long HeartbeatCount);

/// <summary>One page of sensors in id order; <see cref="Next"/> is the cursor for the page after, null on the last.</summary>
public sealed record SensorPage(IReadOnlyList<SensorView> Items, string? Next);
