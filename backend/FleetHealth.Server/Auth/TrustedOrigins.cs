using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Auth;

/// <summary>
/// Whether a request came from a page of an origin the server trusts: its own (the scheme, host
/// and port Kestrel saw the request on) or one listed in <see cref="AuthOptions.AllowedOrigins"/>.
/// Forwarded headers are not consulted: behind a proxy that changes the origin, list the public
/// one. A browser names the page's origin in <c>Origin</c>; without it, <c>Sec-Fetch-Site</c>
/// still tells whether the request started elsewhere; a request with neither is not a browser's
/// (curl, scripts), and a browser would not send its cookie to us from another site then.
/// </summary>
internal sealed class TrustedOrigins(IOptions<AuthOptions> options)
{
    private readonly FrozenSet<string> _allowed = options.Value.AllowedOrigins.Select(o => Normalize(o)!).ToFrozenSet(StringComparer.Ordinal);

    public bool IsTrusted(HttpRequest request)
    {
        var origin = request.Headers.Origin;
        if (origin.Count > 0)
        {
            // "null" (sandboxed frames, file: pages) and anything malformed normalize to nothing.
            return origin.Count == 1 && Normalize(origin[0]) is { } named
                && (named == Normalize($"{request.Scheme}://{request.Host.Value}") || _allowed.Contains(named));
        }

        var site = request.Headers["Sec-Fetch-Site"];
        return site.Count == 0 || site == "same-origin";
    }

    /// <summary><c>scheme://host:port</c> in lower case with the port spelled out, or null when <paramref name="origin"/> is not an http(s) origin.</summary>
    public static string? Normalize(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            && uri.UserInfo.Length == 0 && uri.PathAndQuery == "/" && uri.Fragment.Length == 0
            ? $"{uri.Scheme}://{uri.Host}:{uri.Port}"
            : null;
}
