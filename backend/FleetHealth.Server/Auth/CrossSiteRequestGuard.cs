using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;

namespace FleetHealth.Server.Auth;

/// <summary>
/// Cross-site request forgery: a request that may change something (any method but GET, HEAD,
/// OPTIONS, TRACE) to an endpoint authenticated by the session cookie (sign-in and sign-out
/// included: their group names the session's policy) is refused with 403 unless it comes from a
/// <see cref="TrustedOrigins">trusted origin</see>. SameSite=Strict alone is not enough: a site
/// is the registrable domain, so a page on another port of the same host or on a sibling
/// subdomain gets the cookie sent. Runs before authentication, so a forged request costs no
/// session lookup; ingest-key endpoints (sensors) are not concerned.
/// </summary>
internal sealed partial class CrossSiteRequestGuard(RequestDelegate next, TrustedOrigins origins, IAuthorizationPolicyProvider policies, ILogger<CrossSiteRequestGuard> logger)
{
    private readonly ConcurrentDictionary<Endpoint, bool> _sessionEndpoints = new();

    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)
            || context.GetEndpoint() is not { } endpoint
            || !await UsesSessionAsync(endpoint)
            || origins.IsTrusted(context.Request))
        {
            await next(context);
            return;
        }

        LogRefused(logger, method, context.Request.Path, context.Request.Headers.Origin.ToString(), context.Request.Headers["Sec-Fetch-Site"].ToString());
        await TypedResults.Problem(
            "This request acts with an operator's session, so it must come from the dashboard's own origin; it came from another one. "
                + "(A dashboard served from another origin is listed in Auth:AllowedOrigins.)",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Cross-origin request refused").ExecuteAsync(context);
    }

    /// <summary>Whether the endpoint's combined authorization policy authenticates with the session cookie (computed once per endpoint).</summary>
    private async ValueTask<bool> UsesSessionAsync(Endpoint endpoint)
    {
        if (_sessionEndpoints.TryGetValue(endpoint, out var known))
        {
            return known;
        }

        var policy = await AuthorizationPolicy.CombineAsync(policies, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        return _sessionEndpoints[endpoint] = policy?.AuthenticationSchemes.Contains(SessionAuthenticationHandler.SchemeName) == true;
    }

    [LoggerMessage(LogLevel.Warning, "Refused {Method} {Path} from another origin (Origin '{Origin}', Sec-Fetch-Site '{FetchSite}')")]
    private static partial void LogRefused(ILogger logger, string method, string path, string origin, string fetchSite);
}
