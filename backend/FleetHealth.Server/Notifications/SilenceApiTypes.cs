namespace FleetHealth.Server.Notifications;

/// <summary>
/// Body of <c>POST /api/v1/notifications/silences</c>: one of <c>tag</c> or <c>sensorId</c>, from
/// <c>startsAt</c> (default now) to <c>endsAt</c>, or for <c>durationSeconds</c>; a comment for people.
/// </summary>
public sealed record SilenceBody(string? Tag, string? SensorId, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, double? DurationSeconds, string? Comment);

public sealed record SilenceView(long Id, string? Tag, string? SensorId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Active, string? Comment, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record SilenceList(IReadOnlyList<SilenceView> Items);
