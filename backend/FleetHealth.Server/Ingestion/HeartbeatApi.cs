using FleetHealth.Server.Hosting;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Ingestion;

/// <summary><c>POST /api/v1/heartbeats/{sensorId}</c>: a sensor says it is alive; 202 once that is durable.</summary>
public static class HeartbeatApi
{
    public static RouteGroupBuilder MapHeartbeatApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/heartbeats").WithTags("Heartbeats");
        // Catch-all, so that an empty or slash-bearing id reaches validation and gets a 400 that names the fault.
        group.MapPost("/{**sensorId}", PostAsync);
        return group;
    }

    internal static async Task<Results<Accepted<HeartbeatAccepted>, ValidationProblem, ProblemHttpResult>> PostAsync(
        string? sensorId,
        HttpRequest request,
        IHeartbeatSink sink,
        DatabaseReadiness readiness,
        TimeProvider clock,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var receivedAt = clock.GetUtcNow();
        if (!SensorId.TryParse(sensorId, out var id, out var idError))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sensorId"] = [idError] }, title: "Bad sensor id");
        }

        var body = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.HeartbeatBody, options.Value.MaxBodyBytes, cancellationToken);
        switch (body.Status)
        {
            case BodyStatus.TooLarge:
                return TypedResults.Problem(body.Error, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");
            case BodyStatus.UnsupportedMediaType:
                return TypedResults.Problem(body.Error, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
            case BodyStatus.Malformed:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [body.Error!] }, title: "Malformed body");
        }

        var heartbeat = HeartbeatValidation.Validate(id, body.Value, receivedAt, out var errors);
        if (heartbeat is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad heartbeat");
        }

        if (!readiness.IsMigrated)
        {
            return StorageUnavailable(request.HttpContext, "The database schema is not ready yet.");
        }

        IngestOutcome outcome;
        try
        {
            outcome = await sink.SubmitAsync(heartbeat, cancellationToken);
        }
        catch (NpgsqlException)
        {
            // Not durable, so not acknowledged: the sensor keeps the beat and retries.
            return StorageUnavailable(request.HttpContext, "The heartbeat could not be stored; retry.");
        }

        return outcome switch
        {
            IngestOutcome.UnknownSensor => TypedResults.Problem(
                $"Sensor '{id}' is not registered and this fleet does not auto-register.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Unknown sensor"),
            _ => TypedResults.Accepted($"/api/v1/sensors/{id}", new HeartbeatAccepted(id.Value, receivedAt, outcome == IngestOutcome.Duplicate)),
        };
    }

    private static ProblemHttpResult StorageUnavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
    }
}
