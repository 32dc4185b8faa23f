namespace FleetHealth.Server.Notifications;

/// <summary>
/// The JSON a webhook receives (README "Notifications" documents it; version 1). Slack and email
/// messages are rendered from it. It carries no secret.
/// <c>Type</c> is "alert" or "test"; <c>Status</c> "firing" while a sensor of the group is in
/// trouble, else "resolved"; <c>Repeat</c> true when nothing changed since the previous message
/// (the repeat interval); <c>Counts</c> the message's sensors per state; <c>Sensors</c> the first
/// of them (at most Notifications:MaxSensorsListed), changed ones first; <c>MoreSensors</c> how
/// many more it covers than it lists.
/// </summary>
public sealed record NotificationPayload(
    int Version,
    string Type,
    Guid NotificationId,
    string Status,
    bool Repeat,
    string Summary,
    PayloadRule? Rule,
    long? GroupId,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, int> Counts,
    IReadOnlyList<PayloadSensor> Sensors,
    int MoreSensors,
    string? DashboardUrl);

public sealed record PayloadRule(long Id, string Name, string? Tag);

/// <summary>A sensor in a message: its state (late, stale, dead, fault, recovered or retired) since when, and whether that is new since the group's previous message.</summary>
public sealed record PayloadSensor(string Id, string Status, DateTimeOffset Since, bool Changed);

/// <summary>Slack's incoming-webhook message (the text is mrkdwn).</summary>
internal sealed record SlackMessage(string Text);
