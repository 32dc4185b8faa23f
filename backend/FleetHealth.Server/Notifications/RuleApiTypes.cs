namespace FleetHealth.Server.Notifications;

/// <summary>
/// Body of <c>POST /api/v1/notifications/rules</c> and <c>PUT …/rules/{id}</c>: transitions (any of
/// late, stale, dead, fault, recovered, retired) of sensors with <c>tag</c> (null: all) go to
/// <c>channels</c>, grouped; null timings take Alertmanager's defaults (30 s, 5 min, 4 h).
/// </summary>
public sealed record RuleBody(
    string? Name,
    IReadOnlyList<string>? Transitions,
    string? Tag,
    IReadOnlyList<long>? Channels,
    double? GroupWaitSeconds,
    double? GroupIntervalSeconds,
    double? RepeatIntervalSeconds);

public sealed record RuleView(
    long Id,
    string Name,
    IReadOnlyList<string> Transitions,
    string? Tag,
    IReadOnlyList<long> Channels,
    double GroupWaitSeconds,
    double GroupIntervalSeconds,
    double RepeatIntervalSeconds,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset UpdatedAt);

public sealed record RuleList(IReadOnlyList<RuleView> Items);

/// <summary>A rule as validated, ready to store.</summary>
internal sealed record RuleDefinition(string Name, string[] Transitions, string? Tag, long[] Channels, double GroupWaitSeconds, double GroupIntervalSeconds, double RepeatIntervalSeconds);
