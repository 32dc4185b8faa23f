using System.Security.Claims;
using System.Text.Json;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Ingestion;

/// <summary>
/// <c>POST /api/v1/heartbeats/{sensorId}</c>: a sensor says it is alive; 202 once that is durable.
/// Only with an ingest key (an operator's cookie does not make a heartbeat), within the key's rate.
/// </summary>
public static class HeartbeatApi
{
    public static RouteGroupBuilder MapHeartbeatApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/heartbeats").WithTags("Heartbeats")
            .RequireAuthorization(AccessPolicies.Sensor)
            .RequireRateLimiting(IngestRateLimiting.Policy);
        // Catch-all, so that an empty or slash-bearing id reaches validation and gets a 400 that names the fault.
        group.MapPost("/", PostBatchAsync);
        group.MapPost("/{**sensorId}", PostAsync);
        return group;
    }

    internal static async Task<Results<Accepted<HeartbeatAccepted>, ValidationProblem, ProblemHttpResult>> PostAsync(
        string? sensorId,
        HttpRequest request,
        ClaimsPrincipal key,
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

        var body = await JsonBody.ReadDocumentAsync(request, options.Value.MaxBodyBytes, cancellationToken);
        using var document = body.Value;
        if (body.Refused is { } refused)
        {
            return refused;
        }

        if (body.Malformed is { } malformed)
        {
            return malformed;
        }

        var errors = new Dictionary<string, string[]>();
        HeartbeatBody? fields = null;
        if (document?.RootElement is { ValueKind: not JsonValueKind.Null } root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                return WrongShape($"The body must be a JSON object, got {HeartbeatJson.Describe(root.ValueKind)}.");
            }

            fields = HeartbeatJson.Read(root, withSensorId: false, errors, out _);
        }

        var heartbeat = HeartbeatValidation.Validate(id, fields, receivedAt, errors);
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
            outcome = await sink.SubmitAsync(heartbeat, RequiredTag(key), cancellationToken);
        }
        catch (Exception e) when (e is IngestUnavailableException or NpgsqlException)
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
            IngestOutcome.OutOfScope => TypedResults.Problem(
                OutOfScope(key), statusCode: StatusCodes.Status403Forbidden, title: "Sensor outside the key's scope"),
            _ => TypedResults.Accepted($"/api/v1/sensors/{id}", new HeartbeatAccepted(id.Value, receivedAt, outcome == IngestOutcome.Duplicate)),
        };
    }

    /// <summary>
    /// A gateway's batch. Items are read and validated one by one from the parsed document (a bad
    /// item, even one of the wrong type, does not spoil the others) and submitted together, so the
    /// journal's group commit stores them in few round trips.
    /// </summary>
    internal static async Task<Results<Accepted<BatchResult>, JsonHttpResult<BatchResult>, ValidationProblem, ProblemHttpResult>> PostBatchAsync(
        HttpRequest request,
        ClaimsPrincipal key,
        IHeartbeatSink sink,
        DatabaseReadiness readiness,
        TimeProvider clock,
        IOptions<IngestOptions> options,
        CancellationToken cancellationToken)
    {
        var receivedAt = clock.GetUtcNow();
        var limits = options.Value;
        var body = await JsonBody.ReadDocumentAsync(request, limits.MaxBatchBytes, cancellationToken);
        using var document = body.Value;
        if (body.Refused is { } refused)
        {
            return refused;
        }

        if (body.Malformed is { } malformed)
        {
            return malformed;
        }

        if (document is null)
        {
            // No body at all: most likely a single heartbeat whose id went missing from the path.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["sensorId"] = ["Sensor id is empty: POST /api/v1/heartbeats/{sensorId}, or send a batch as a JSON array."] },
                title: "Bad sensor id");
        }

        var items = document.RootElement;
        if (items.ValueKind != JsonValueKind.Array)
        {
            return WrongShape($"The batch must be a JSON array of heartbeat objects, got {HeartbeatJson.Describe(items.ValueKind)}.");
        }

        var count = items.GetArrayLength();
        if (count == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A batch is a non-empty JSON array of heartbeats."] }, title: "Empty batch");
        }

        if (count > limits.MaxBatchItems)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = [$"A batch holds at most {limits.MaxBatchItems} heartbeats; this one has {count}."] },
                title: "Batch too large");
        }

        if (!readiness.IsMigrated)
        {
            return StorageUnavailable(request.HttpContext, "The database schema is not ready yet.");
        }

        var tag = RequiredTag(key);
        var pending = new Task<BatchItemResult>[count];
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            pending[index] = SubmitItemAsync(sink, item, index, receivedAt, tag, cancellationToken);
            index++;
        }

        var results = await Task.WhenAll(pending);
        var accepted = results.Count(r => r.Status == StatusCodes.Status202Accepted);
        var duplicates = results.Count(r => r.Duplicate);
        var summary = new BatchResult(accepted - duplicates, duplicates, results.Length - accepted, results);
        return summary.Rejected == 0 ? TypedResults.Accepted((string?)null, summary) : TypedResults.Json(summary, statusCode: StatusCodes.Status207MultiStatus);
    }

    private static async Task<BatchItemResult> SubmitItemAsync(
        IHeartbeatSink sink, JsonElement item, int index, DateTimeOffset receivedAt, string? requiredTag, CancellationToken cancellationToken)
    {
        var heartbeat = BatchItemReader.Read(item, receivedAt, out var sensorId, out var errors);
        if (heartbeat is null)
        {
            return new BatchItemResult(index, sensorId, StatusCodes.Status400BadRequest, Errors: errors);
        }

        var id = heartbeat.SensorId;

        try
        {
            return await sink.SubmitAsync(heartbeat, requiredTag, cancellationToken) switch
            {
                IngestOutcome.UnknownSensor => new BatchItemResult(index, id.Value, StatusCodes.Status404NotFound),
                IngestOutcome.OutOfScope => new BatchItemResult(index, id.Value, StatusCodes.Status403Forbidden),
                var outcome => new BatchItemResult(index, id.Value, StatusCodes.Status202Accepted, outcome == IngestOutcome.Duplicate),
            };
        }
        catch (Exception e) when (e is IngestUnavailableException or NpgsqlException)
        {
            return new BatchItemResult(index, id.Value, StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>400 for a body that is valid JSON but not of the shape the endpoint takes.</summary>
    private static ValidationProblem WrongShape(string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [detail] }, title: "Malformed body");

    /// <summary>The tag the request's ingest key is limited to, or null for an all-sensor key.</summary>
    private static string? RequiredTag(ClaimsPrincipal key) => key.FindFirstValue(IngestKeyClaims.Tag);

    private static string OutOfScope(ClaimsPrincipal key) =>
        $"This ingest key may only send heartbeats for sensors tagged '{RequiredTag(key)}', and this sensor is not.";

    private static ProblemHttpResult StorageUnavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
    }
}
