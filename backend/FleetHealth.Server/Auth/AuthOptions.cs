using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Auth;

/// <summary>Configuration section <c>Auth</c>: operator sessions, sign-in throttling, trusted origins.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>A session unused this long ends (sliding: each use pushes the end back).</summary>
    [Range(1, 60 * 24 * 30)]
    public int SessionIdleMinutes { get; set; } = 12 * 60;

    /// <summary>A session ends this long after sign-in, however much it is used.</summary>
    [Range(1, 24 * 365)]
    public int SessionMaxHours { get; set; } = 7 * 24;

    /// <summary>Failed sign-ins allowed per user name before it is throttled (then one more per refill period).</summary>
    [Range(1, 10_000)]
    public int LoginFailuresPerUser { get; set; } = 5;

    /// <summary>Failed sign-ins allowed per client address (IPv6: per /64) before it is throttled.</summary>
    [Range(1, 100_000)]
    public int LoginFailuresPerAddress { get; set; } = 20;

    /// <summary>Each user name and address earns back one failed attempt per this many seconds.</summary>
    [Range(1, 86_400)]
    public int LoginFailureRefillSeconds { get; set; } = 60;

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) besides the server's own whose pages may make
    /// cookie-authenticated writes and open the live feed: a dashboard served from elsewhere, or
    /// the address browsers use when a reverse proxy changes scheme, host or port.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    public TimeSpan SessionIdle => TimeSpan.FromMinutes(SessionIdleMinutes);

    public TimeSpan SessionMax => TimeSpan.FromHours(SessionMaxHours);
}
