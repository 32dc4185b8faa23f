namespace FleetHealth.Server.Overview;

/// <summary>The number of sensors in each state at one moment (every state named, 0 when none).</summary>
public sealed record StateCountsAt(DateTimeOffset At, IReadOnlyDictionary<string, long> Counts);

/// <summary>Body of <c>GET /api/v1/fleet/states-over-time</c>: counts per state at the end of each bucket, oldest first, the last at <c>Until</c>.</summary>
public sealed record StatesOverTime(string Window, double StepSeconds, DateTimeOffset Until, IReadOnlyList<string> States, IReadOnlyList<StateCountsAt> Buckets);

/// <summary>One tag: its sensors, those watched (known, not retired), those silent, the silent share of the watched, and counts per state.</summary>
public sealed record TagOverviewRow(string Tag, long Sensors, long Watched, long Silent, double SilentShare, IReadOnlyDictionary<string, long> Counts);

/// <summary>Body of <c>GET /api/v1/fleet/tags</c>: a page of tags, worst first (highest silent share, then share in trouble, then most sensors).</summary>
public sealed record TagOverviewPage(long Total, int Offset, int Limit, double SilentAfterSeconds, IReadOnlyList<TagOverviewRow> Items);
