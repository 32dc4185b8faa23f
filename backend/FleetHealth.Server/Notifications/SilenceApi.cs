using System.Security.Claims;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// <c>/api/v1/notifications/silences</c> (operators): mute a tag or one sensor for a window
/// (maintenance). Transitions inside it are still projected and recorded in the outbox, marked
/// muted, and never sent. <c>POST …/{id}/end</c> ends one now.
/// </summary>
public static class SilenceApi
{
    public const double MaxDurationSeconds = 90 * 86400;
    private const int MaxBodyBytes = 4096;

    public static RouteGroupBuilder MapSilenceApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications/silences").WithTags("Notifications").RequireAuthorization(AccessPolicies.Operator);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapPost("/{id}/end", EndAsync);
        return group;
    }

    internal static async Task<Ok<SilenceList>> ListAsync(SilenceStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SilenceList(await store.ListAsync(cancellationToken)));

    internal static async Task<Results<Created<SilenceView>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, SilenceStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.SilenceBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var body = read.Value ?? new SilenceBody(null, null, null, null, null, null);
        var errors = new Dictionary<string, string[]>();
        if ((body.Tag is null) == (body.SensorId is null))
        {
            errors["target"] = ["Give exactly one of tag or sensorId."];
        }
        else if (body.Tag is not null && !SensorTag.IsValid(body.Tag, out var tagError))
        {
            errors["tag"] = [tagError];
        }
        else if (body.SensorId is not null && !SensorId.IsWellFormed(body.SensorId, out var idError))
        {
            errors["sensorId"] = [idError];
        }

        var now = clock.GetUtcNow();
        var starts = body.StartsAt ?? now;
        DateTimeOffset ends = default;
        if ((body.EndsAt is null) == (body.DurationSeconds is null))
        {
            errors["endsAt"] = ["Give exactly one of endsAt or durationSeconds."];
        }
        else if (body.DurationSeconds is { } duration && (!double.IsFinite(duration) || duration <= 0 || duration > MaxDurationSeconds))
        {
            errors["durationSeconds"] = [$"durationSeconds is more than 0 and at most {MaxDurationSeconds}."];
        }
        else
        {
            ends = body.EndsAt ?? starts.AddSeconds(body.DurationSeconds!.Value);
            if (ends <= starts || ends <= now || (ends - starts).TotalSeconds > MaxDurationSeconds)
            {
                errors["endsAt"] = [$"endsAt is after startsAt and after now, at most {MaxDurationSeconds / 86400} days later."];
            }
        }

        if (body.Comment is { Length: > 500 })
        {
            errors["comment"] = ["A comment is at most 500 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad silence");
        }

        var created = await store.CreateAsync(body.Tag, body.SensorId, starts, ends, body.Comment, user.Identity!.Name!, cancellationToken);
        return TypedResults.Created($"/api/v1/notifications/silences/{created.Id}", created);
    }

    internal static async Task<Results<Ok<SilenceView>, ProblemHttpResult, ValidationProblem>> EndAsync(string id, SilenceStore store, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var silenceId, out var bad))
        {
            return bad;
        }

        return await store.EndAsync(silenceId, cancellationToken) is { } ended
            ? TypedResults.Ok(ended)
            : TypedResults.Problem($"No silence {silenceId}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown silence");
    }
}
