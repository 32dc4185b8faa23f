using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Auth;
using FleetHealth.Fleet;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FleetHealth.Server.Tags;

/// <summary>
/// <c>/api/v1/tags</c>: the tags in use and their liveness settings. A change is durable when it
/// answers, in force on this node at once and on every other node as soon as the database's
/// notification reaches it; the sensors that carry the tag re-arm their deadlines.
/// </summary>
/// <remarks>A tag with a '/' travels in the path as <c>%2F</c>.</remarks>
public static class TagApi
{
    public static RouteGroupBuilder MapTagApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/tags").WithTags("Tags").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/", ListAsync);
        group.MapGet("/{tag}", GetAsync);
        var settings = group.MapGroup("/{tag}/settings").RequireAuthorization(AccessPolicies.Operator);
        settings.MapPut("/", PutSettingsAsync);
        settings.MapDelete("/", DeleteSettingsAsync);
        return group;
    }

    internal static async Task<Ok<TagList>> ListAsync(TagStore store, FleetPolicy policy, CancellationToken cancellationToken)
    {
        var fleetRules = policy.Current;
        return TypedResults.Ok(new TagList(fleetRules.DefaultInterval.TotalSeconds, fleetRules.DefaultGrace.TotalSeconds, await store.ListAsync(cancellationToken)));
    }

    internal static async Task<Results<Ok<TagView>, ProblemHttpResult, ValidationProblem>> GetAsync(string tag, TagStore store, CancellationToken cancellationToken)
    {
        if (!TryParse(tag, out var name, out var problem))
        {
            return problem;
        }

        return await store.FindAsync(name, cancellationToken) is { } view ? TypedResults.Ok(view) : Unknown(name);
    }

    internal static async Task<Results<Ok<TagView>, ProblemHttpResult, ValidationProblem>> PutSettingsAsync(
        string tag, HttpRequest request, TagStore store, TagSettingsSync sync, TimeProvider clock, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.TagSettingsBody, 16 * 1024, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var errors = new Dictionary<string, string[]>();
        var name = Parse(tag, errors);
        if (read.Value is not { } body)
        {
            errors["body"] = ["Send {\"intervalSeconds\": n, \"graceSeconds\": n}; null fields inherit the fleet's value."];
        }
        else
        {
            BeatSettingsValidation.Validate(body.IntervalSeconds, body.GraceSeconds, errors);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad tag settings");
        }

        var user = request.HttpContext.User.Identity is { IsAuthenticated: true } identity ? identity.Name : null;
        await store.SetAsync(name!, read.Value!.IntervalSeconds, read.Value.GraceSeconds, clock.GetUtcNow(), user, cancellationToken);
        await ApplyHereAsync(sync, cancellationToken);
        return await store.FindAsync(name!, cancellationToken) is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Ok(new TagView(name!, 0, null, null, null, null));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteSettingsAsync(
        string tag, TagStore store, TagSettingsSync sync, CancellationToken cancellationToken)
    {
        if (!TryParse(tag, out var name, out var problem))
        {
            return problem;
        }

        if (!await store.DeleteAsync(name, cancellationToken))
        {
            return TypedResults.Problem($"Tag '{name}' has no settings.", statusCode: StatusCodes.Status404NotFound, title: "No tag settings");
        }

        await ApplyHereAsync(sync, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>In force on this node before the answer; should the reload fail, the notification still brings it.</summary>
    private static async Task ApplyHereAsync(TagSettingsSync sync, CancellationToken cancellationToken)
    {
        try
        {
            await sync.ReloadAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            sync.Request();
        }
    }

    private static bool TryParse(string raw, out string name, out ValidationProblem problem)
    {
        var errors = new Dictionary<string, string[]>();
        name = Parse(raw, errors) ?? "";
        problem = TypedResults.ValidationProblem(errors, title: "Bad tag");
        return errors.Count == 0;
    }

    /// <summary>The tag from its path segment (a '/' in it arrives still encoded); null with an error under "tag".</summary>
    private static string? Parse(string raw, Dictionary<string, string[]> errors)
    {
        var tag = raw.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (!SensorTag.IsValid(tag, out var error))
        {
            errors["tag"] = [error];
            return null;
        }

        return tag;
    }

    private static ProblemHttpResult Unknown(string tag) =>
        TypedResults.Problem($"No sensor carries tag '{tag}' and it has no settings.", statusCode: StatusCodes.Status404NotFound, title: "Unknown tag");
}
