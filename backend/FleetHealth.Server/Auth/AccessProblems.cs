namespace FleetHealth.Server.Auth;

/// <summary>
/// The answers of the authentication handlers: problem details, never a redirect. When the
/// credential store could not be asked (database down, keys not loaded yet), the answer is 503
/// with Retry-After rather than 401: the caller's credential may well be good.
/// </summary>
internal static class AccessProblems
{
    private const string UnavailableKey = "fleethealth.auth.unavailable";

    public static void MarkUnavailable(HttpContext context) => context.Items[UnavailableKey] = true;

    public static Task ChallengeAsync(HttpContext context, string title, string detail)
    {
        if (context.Items.ContainsKey(UnavailableKey))
        {
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem("Credentials cannot be checked right now (the database is unreachable); retry.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Authentication unavailable").ExecuteAsync(context);
        }

        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: title).ExecuteAsync(context);
    }

    public static Task ForbidAsync(HttpContext context, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
}
