using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Sensors;

/// <summary>Operator commands on one sensor: provisioning, settings, retirement. Each answers once its event is durable.</summary>
public static class SensorCommandApi
{
    public static RouteGroupBuilder MapSensorCommandApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/sensors/{sensorId}").WithTags("Sensors").RequireAuthorization(AccessPolicies.Operator);
        group.MapPut("/settings", PutSettingsAsync);
        group.MapPost("/register", RegisterAsync);
        group.MapPost("/retire", RetireAsync);
        group.MapPost("/reactivate", ReactivateAsync);
        return group;
    }

    internal static async Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> PutSettingsAsync(
        string sensorId, HttpRequest request, ISensorFleet sensors, FleetPolicy policy, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.SensorSettingsBody, 16 * 1024, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var body = read.Value;
        var errors = new Dictionary<string, string[]>();
        if (!SensorId.TryParse(sensorId, out var id, out var idError))
        {
            errors["sensorId"] = [idError];
        }

        if (body is null)
        {
            errors["body"] = ["Send {\"intervalSeconds\": n, \"graceSeconds\": n, \"tags\": [...]}; null fields inherit."];
        }
        else
        {
            BeatSettingsValidation.Validate(body.IntervalSeconds, body.GraceSeconds, errors);

            if (body.Tags is { Count: > 32 })
            {
                errors["tags"] = ["A sensor has at most 32 tags."];
            }
            else if (body.Tags?.FirstOrDefault(t => !SensorTag.IsValid(t, out _)) is { } badTag)
            {
                SensorTag.IsValid(badTag, out var tagError);
                errors["tags"] = [tagError!];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad sensor settings");
        }

        var settings = new SensorSettings(
            BeatSettingsValidation.ToTimeSpan(body!.IntervalSeconds),
            BeatSettingsValidation.ToTimeSpan(body.GraceSeconds),
            body.Tags ?? []);
        return await CommandAsync(request.HttpContext, sensors, policy, id, new ChangeSensorSettings(settings), cancellationToken);
    }

    internal static Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> RegisterAsync(string sensorId, HttpContext httpContext, ISensorFleet sensors, FleetPolicy policy, CancellationToken cancellationToken) =>
        ParsedCommandAsync(httpContext, sensorId, sensors, policy, new RegisterSensor(), cancellationToken);

    internal static Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> RetireAsync(string sensorId, HttpContext httpContext, ISensorFleet sensors, FleetPolicy policy, CancellationToken cancellationToken) =>
        ParsedCommandAsync(httpContext, sensorId, sensors, policy, new RetireSensor(), cancellationToken);

    internal static Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> ReactivateAsync(string sensorId, HttpContext httpContext, ISensorFleet sensors, FleetPolicy policy, CancellationToken cancellationToken) =>
        ParsedCommandAsync(httpContext, sensorId, sensors, policy, new ReactivateSensor(), cancellationToken);

    private static async Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> ParsedCommandAsync(
        HttpContext httpContext, string sensorId, ISensorFleet sensors, FleetPolicy policy, object command, CancellationToken cancellationToken)
    {
        if (!SensorId.TryParse(sensorId, out var id, out var error))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sensorId"] = [error] }, title: "Bad sensor id");
        }

        return await CommandAsync(httpContext, sensors, policy, id, command, cancellationToken);
    }

    private static async Task<Results<Ok<SensorView>, ProblemHttpResult, ValidationProblem>> CommandAsync(
        HttpContext httpContext, ISensorFleet sensors, FleetPolicy policy, SensorId id, object command, CancellationToken cancellationToken)
    {
        object reply;
        try
        {
            reply = await sensors.AskAsync(id, command, cancellationToken);
        }
        catch (SensorUnavailableException)
        {
            httpContext.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem("The change could not be made durable in time; retry.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
        }

        return reply is SensorState state
            ? TypedResults.Ok(SensorReads.View(id, state, policy.Current))
            : TypedResults.Problem($"No sensor '{id}'. Register it first (POST /api/v1/sensors/{id}/register) or let it send a heartbeat.", statusCode: StatusCodes.Status404NotFound, title: "Unknown sensor");
    }
}

/// <summary>Body of <c>PUT /api/v1/sensors/{id}/settings</c>: null fields inherit from the sensor's tags or the fleet.</summary>
public sealed record SensorSettingsBody(double? IntervalSeconds, double? GraceSeconds, List<string>? Tags);
