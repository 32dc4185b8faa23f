using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// <c>GET /api/v1/notifications/groups?state=open</c> (viewers): the alert groups open now, for the
/// fleet page. Closed groups keep no members (they leave as they resolve), so only open ones are listed.
/// </summary>
public static class AlertGroupApi
{
    public static RouteGroupBuilder MapAlertGroupApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications/groups").WithTags("Notifications").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", ListAsync);
        return group;
    }

    internal static async Task<Results<Ok<AlertGroupList>, ValidationProblem>> ListAsync(
        string? state, AlertGroupReads reads, IOptions<NotificationOptions> options, CancellationToken cancellationToken)
    {
        if (state is not null and not "open")
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["state is open (closed groups are not kept with their members)."] }, title: "Bad query");
        }

        return TypedResults.Ok(new AlertGroupList(await reads.ListOpenAsync(options.Value.MaxSensorsListed, cancellationToken)));
    }
}
