using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Metrics;

/// <summary>The <c>Metrics</c> section: who may scrape <c>GET /metrics</c>, and how often the fleet's state counts are refreshed.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Whether <c>/metrics</c> is served at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// When set, a scrape must send <c>Authorization: Bearer &lt;token&gt;</c> (from any address);
    /// unset, only loopback clients may scrape.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>How often the sensors-per-state gauge re-counts the read model (one GROUP BY, never per scrape).</summary>
    [Range(1, 3600)]
    public int StateCountsSeconds { get; set; } = 15;

    public const int MinTokenLength = 16;

    /// <summary>A token, when there is one, is long enough to guess no sooner than an ingest key, and has no whitespace (it travels in a header).</summary>
    public static bool IsTokenAcceptable(string? token) =>
        token is null || (token.Length >= MinTokenLength && !token.Any(char.IsWhiteSpace));
}
