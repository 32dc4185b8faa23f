namespace FleetHealth.Server.Metrics;

/// <summary>
/// Counts the answers of <c>/api/v1/heartbeats</c> by result, including those given before the
/// handler (401 without a key, 429 from the rate limiter), so it runs ahead of access control.
/// </summary>
internal sealed class IngestRequestMetrics(RequestDelegate next, FleetMetrics metrics)
{
    private static readonly PathString Heartbeats = "/api/v1/heartbeats";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Heartbeats))
        {
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            metrics.IngestRequest(Result(context.Response.StatusCode));
        }
    }

    /// <summary>A fixed set of labels, so a client cannot grow the series.</summary>
    internal static string Result(int status) => status switch
    {
        StatusCodes.Status202Accepted => "accepted",
        StatusCodes.Status207MultiStatus => "partial",
        StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType => "rejected",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "unknown_sensor",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "other",
    };
}
