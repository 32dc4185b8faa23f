namespace FleetHealth.Server.Tags;

/// <summary>One tag: how many sensors carry it and what it sets (null: inherits the fleet's value).</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Sensors">Sensors that carry it (read model).</param>
/// <param name="IntervalSeconds">The interval it sets for its sensors; null when it sets none.</param>
/// <param name="GraceSeconds">The grace it sets; null when it sets none.</param>
/// <param name="UpdatedAt">When its settings were last changed; null when it has none.</param>
/// <param name="UpdatedBy">Who changed them, when the request was authenticated.</param>
public sealed record TagView(string Tag, long Sensors, double? IntervalSeconds, double? GraceSeconds, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>Body of <c>GET /api/v1/tags</c>: every tag in use or with settings, in ordinal order, and the fleet's defaults they override.</summary>
public sealed record TagList(double FleetIntervalSeconds, double FleetGraceSeconds, IReadOnlyList<TagView> Items);

/// <summary>Body of <c>PUT /api/v1/tags/{tag}/settings</c>: null inherits the fleet's value; both null clears the tag's settings.</summary>
public sealed record TagSettingsBody(double? IntervalSeconds, double? GraceSeconds);
