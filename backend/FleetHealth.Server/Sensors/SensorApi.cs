using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Sensors;

/// <summary><c>/api/v1/sensors</c>: what the fleet looks like, one sensor or a page at a time.</summary>
public static class SensorApi
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static RouteGroupBuilder MapSensorApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/sensors").WithTags("Sensors").RequireAuthorization(AccessPolicies.Viewer);
        group.MapGet("/{sensorId}", GetAsync);
        group.MapGet("/", ListAsync);
        group.MapSensorHistory();
        return group;
    }

    internal static async Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string sensorId, SensorReads reads, CancellationToken cancellationToken)
    {
        if (!SensorId.TryParse(sensorId, out var id, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sensorId"] = [error] }, title: "Bad sensor id");
        }

        var sensor = await reads.FindAsync(id, cancellationToken);
        return sensor is null
            ? TypedResults.Problem($"No sensor '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown sensor")
            : TypedResults.Ok(sensor);
    }

    internal static async Task<Results<Ok<SensorPage>, SensorListCsv, ValidationProblem>> ListAsync(
        SensorQueries queries,
        CancellationToken cancellationToken,
        int? limit = null,
        string? after = null,
        string? state = null,
        string? tag = null,
        string? q = null,
        string? format = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["format must be json or csv."];
        }

        if (state is not null && !SensorFilter.States.Contains(state, StringComparer.Ordinal))
        {
            errors["state"] = [$"state must be one of {string.Join(", ", SensorFilter.States)}."];
        }

        if (tag is not null && !SensorTag.IsValid(tag, out var tagError))
        {
            errors["tag"] = [tagError];
        }

        if (q is { Length: 0 or > SensorFilter.MaxTextLength })
        {
            errors["q"] = [$"q must be 1 to {SensorFilter.MaxTextLength} characters."];
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"limit must be from 1 to {MaxPageSize}."];
        }

        // A cursor is the last id of a page, which may be a dots-only id stored before that rule.
        if (after is not null && !SensorId.IsWellFormed(after, out var afterError))
        {
            errors["after"] = [afterError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad paging parameters");
        }

        var filter = new SensorFilter(state, tag, q);
        if (format == "csv")
        {
            return new SensorListCsv(queries, after, filter); // every match from the cursor on; limit is for pages
        }

        return TypedResults.Ok(await queries.PageAsync(after, limit ?? DefaultPageSize, filter, cancellationToken));
    }
}
