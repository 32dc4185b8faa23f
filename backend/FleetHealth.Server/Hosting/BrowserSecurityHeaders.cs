namespace FleetHealth.Server.Hosting;

/// <summary>
/// Headers that tell browsers how to treat every answer: never framed (clickjacking), never
/// content-sniffed, no referrer sent on. The dashboard runs under a strict content security
/// policy (only its own scripts, styles and connections: no inline script, no eval); API answers
/// get a policy that allows nothing and are never stored by caches, since they carry fleet data.
/// Set as the response starts, so error answers carry them too.
/// </summary>
internal static class BrowserSecurityHeaders
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static WebApplication UseBrowserSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (IsApi(context.Request.Path))
        {
            headers.ContentSecurityPolicy = ApiPolicy;
            headers.CacheControl = "no-store";
        }
        else
        {
            headers.ContentSecurityPolicy = DashboardPolicy(context.Request);
        }
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/ws") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    /// <summary>
    /// <c>'self'</c> covers same-origin websockets in current browsers; the feed's own
    /// <c>ws(s)://host</c> is named as well for those that do not (only a well-formed Host is
    /// written into the header). <c>data:</c> images: the page's empty favicon.
    /// </summary>
    private static string DashboardPolicy(HttpRequest request)
    {
        var socket = Uri.CheckHostName(request.Host.Host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? $" {(request.IsHttps ? "wss" : "ws")}://{request.Host.Host}{(request.Host.Port is { } port ? $":{port}" : "")}"
            : "";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src 'self'{socket}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
