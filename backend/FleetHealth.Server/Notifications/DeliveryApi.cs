using System.Globalization;
using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Notifications;

/// <summary><c>GET /api/v1/notifications/deliveries?channel=&amp;limit=</c> (operators): the delivery log, newest first.</summary>
public static class DeliveryApi
{
    public const int MaxLimit = 1000;

    public static RouteGroupBuilder MapDeliveryApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications/deliveries").WithTags("Notifications").RequireAuthorization(AccessPolicies.Operator);
        group.MapGet("/", ListAsync);
        return group;
    }

    internal static async Task<Results<Ok<DeliveryList>, ValidationProblem>> ListAsync(string? channel, string? limit, DeliveryStore store, CancellationToken cancellationToken)
    {
        long? channelId = null;
        if (channel is not null)
        {
            if (!NotificationIds.TryParse(channel, out var id, out var bad, "channel"))
            {
                return bad;
            }

            channelId = id;
        }

        var count = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit is 1 to {MaxLimit}."] }, title: "Bad query");
        }

        return TypedResults.Ok(new DeliveryList(await store.ListAsync(channelId, count, cancellationToken)));
    }
}
