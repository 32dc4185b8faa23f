namespace FleetHealth.Server.Auth;

/// <summary>
/// The session cookie: HttpOnly (page scripts cannot read it), SameSite=Strict (browsers do not
/// send it with requests that start on another site; but a site ignores the port and spans sibling
/// subdomains, so the origin check of <see cref="CrossSiteRequestGuard"/> is the CSRF defence),
/// Secure when the request came over HTTPS, expiring with its session.
/// </summary>
public static class SessionCookie
{
    public const string Name = "fh_session";

    /// <summary>The hash of the request's session token (what the sessions table keys on), if it carries a well-formed one.</summary>
    public static byte[]? TokenHash(HttpRequest request) =>
        request.Cookies.TryGetValue(Name, out var token) && SecretToken.IsWellFormed(token) ? SecretToken.Hash(token) : null;

    public static void Append(HttpContext context, string token, DateTimeOffset expires) =>
        context.Response.Cookies.Append(Name, token, Options(context, expires));

    public static void Delete(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, DateTimeOffset.UnixEpoch));

    private static CookieOptions Options(HttpContext context, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
