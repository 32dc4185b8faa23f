using FleetHealth.Server.Auth;
using FleetHealth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Live;

/// <summary>
/// The dashboard's live feed: the websocket <c>/ws</c> (protocol in docs/websocket.md) and
/// <c>GET /api/v1/live</c> (its status: open clients, whether the change feed listens).
/// </summary>
public static class LiveApi
{
    internal static void AddLive(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LiveOptions>()
            .BindConfiguration(LiveOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<LiveReads>();
        builder.Services.AddSingleton<LiveHub>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LiveHub>());
        builder.Services.AddSingleton<IChangeFeedSubscriber>(sp => sp.GetRequiredService<LiveHub>());
    }

    /// <summary>
    /// Maps <c>/ws</c> and the status endpoint, for viewers: the session cookie travels with the
    /// same-origin upgrade request, and a request without a valid one gets 401 before the upgrade.
    /// </summary>
    public static RouteGroupBuilder MapLiveApi(this WebApplication app)
    {
        var keepAlive = app.Services.GetRequiredService<IOptions<LiveOptions>>().Value.KeepAliveSeconds;
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(keepAlive) });
        var group = app.MapGroup("").WithTags("Live").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/api/v1/live", Status);
        group.MapGet("/ws", AcceptAsync);
        return group;
    }

    internal static Ok<LiveStatus> Status(LiveHub hub) => TypedResults.Ok(hub.Status());

    internal static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> AcceptAsync(
        HttpContext context, LiveHub hub, TrustedOrigins origins, string? state = null, string? tag = null, string? text = null)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem("This is a websocket endpoint (see docs/websocket.md).", statusCode: StatusCodes.Status400BadRequest, title: "Websocket upgrade required");
        }

        if (!origins.IsTrusted(context.Request))
        {
            // Cross-site websocket hijacking: browsers send Origin on websocket upgrades (a GET, so
            // the write guard passes it), and SameSite=Strict still sends the cookie from another
            // port of the same host; refusing untrusted origins keeps their pages off the feed.
            return TypedResults.Problem("Cross-origin websocket connections are refused.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden origin");
        }

        if (!LiveFilter.TryCreate(state, tag, text, out var filter, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["filter"] = [error!] }, title: "Bad filter");
        }

        if (hub.ClientCount >= hub.Options.MaxClients)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem($"This node serves at most {hub.Options.MaxClients} live clients.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many live clients");
        }

        // The session the upgrade was authenticated with: the hub ends the connection when it ends.
        var session = SessionCookie.TokenHash(context.Request);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await hub.ServeAsync(socket, filter, session, context.RequestAborted);
        return TypedResults.Empty;
    }
}
