using System.Globalization;
using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Notifications;

/// <summary><c>GET /api/v1/notifications/monitor-outages?limit=</c> (viewers): when FleetHealth itself was down, newest first.</summary>
public static class MonitorOutageApi
{
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapMonitorOutageApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications/monitor-outages").WithTags("Notifications").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", ListAsync);
        return group;
    }

    internal static async Task<Results<Ok<MonitorOutageList>, ValidationProblem>> ListAsync(
        string? limit, MonitorOutageStore store, IOptions<NotificationOptions> options, CancellationToken cancellationToken)
    {
        var count = 5;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is 1 to {MaxLimit}."] }, title: "Bad query");
        }

        var settings = options.Value;
        var items = await store.RecentAsync(count, cancellationToken);
        return TypedResults.Ok(new MonitorOutageList(items, settings.OutageGraceSeconds));
    }
}
