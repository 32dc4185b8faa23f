namespace FleetHealth.Server.Notifications;

/// <summary>
/// An open alert group as the fleet page shows it: its rule, when it opened and was last sent,
/// its members per state, and the first of them (worst state first, then by id).
/// </summary>
public sealed record AlertGroupView(
    long Id,
    long RuleId,
    string RuleName,
    string? RuleTag,
    DateTimeOffset OpenedAt,
    DateTimeOffset? LastSentAt,
    DateTimeOffset NextFlushAt,
    IReadOnlyDictionary<string, int> Counts,
    int Members,
    IReadOnlyList<string> Sensors);

public sealed record AlertGroupList(IReadOnlyList<AlertGroupView> Items);
