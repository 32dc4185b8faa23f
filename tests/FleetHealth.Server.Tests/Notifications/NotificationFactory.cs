using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>
/// The server with loopback allowed as a notification target (the tests' receivers live there),
/// short waits for polling and retries, and fast liveness for sensors of tag <see cref="FastTag"/>
/// (fleet-wide: stale after 3 s; the tag: interval 0.5 s, no grace).
/// </summary>
public sealed class NotificationFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Notifications:AllowedTargets:0"] = "127.0.0.1",
    ["Notifications:PollMilliseconds"] = "50",
    ["Notifications:RetryDelayMilliseconds"] = "20",
    ["Notifications:BackoffBaseSeconds"] = "0.1",
    ["Notifications:BackoffCapSeconds"] = "0.5",
    ["Notifications:TimeoutSeconds"] = "1",
    ["Notifications:MaxAttempts"] = "200",
    ["Notifications:DashboardUrl"] = "http://fleet.example",
    ["Liveness:StaleAfterSeconds"] = "3",
})
{
    public const string FastTag = "fast";
}
