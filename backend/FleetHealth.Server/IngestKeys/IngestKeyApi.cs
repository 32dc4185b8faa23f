using System.Security.Claims;
using FleetHealth.Domain.Sensors;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// <c>/api/v1/ingest-keys</c> (admins): create a key (its secret shown once), list keys (never a
/// secret), revoke one. A change counts on this node before the answer, and on the others as soon
/// as the table's notification reaches them (at the latest <c>Ingest:KeyRefreshSeconds</c>).
/// </summary>
public static partial class IngestKeyApi
{
    public const int MaxNameLength = 100;
    private const int MaxBodyBytes = 4096;

    public static RouteGroupBuilder MapIngestKeyApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/ingest-keys").WithTags("Ingest keys").RequireAuthorization(AccessPolicies.Admin);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapPost("/{keyId}/revoke", RevokeAsync);
        return group;
    }

    internal static async Task<Ok<IngestKeyList>> ListAsync(IngestKeyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new IngestKeyList(await store.ListAsync(cancellationToken)));

    internal static async Task<Results<Created<IngestKeyCreated>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, ClaimsPrincipal admin, IngestKeyStore store, IngestKeyCache cache, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.NewIngestKeyBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var errors = Validate(read.Value ?? new NewIngestKeyBody(null, null));
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad ingest key");
        }

        var (view, key) = await store.CreateAsync(read.Value!.Name!.Trim(), read.Value.Tag, admin.Identity!.Name!, cancellationToken);
        await cache.ReloadAsync(cancellationToken);
        LogCreated(logs.CreateLogger(typeof(IngestKeyApi)), view.KeyId, view.Tag ?? "(all sensors)", view.CreatedBy);
        return TypedResults.Created($"/api/v1/ingest-keys/{view.KeyId}", new IngestKeyCreated(view.KeyId, view.Name, view.Tag, view.CreatedAt, view.CreatedBy, key));
    }

    internal static async Task<Results<Ok<IngestKeyView>, ProblemHttpResult, ValidationProblem>> RevokeAsync(
        string keyId, ClaimsPrincipal admin, IngestKeyStore store, IngestKeyCache cache, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!IngestKeyFormat.IsKeyId(keyId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["keyId"] = [$"A key id is {IngestKeyFormat.KeyIdLength} hex digits (a-f 0-9)."] }, title: "Bad key id");
        }

        var revoked = await store.RevokeAsync(keyId, cancellationToken);
        if (revoked is null)
        {
            return TypedResults.Problem($"No ingest key '{keyId}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown ingest key");
        }

        await cache.ReloadAsync(cancellationToken);
        LogRevoked(logs.CreateLogger(typeof(IngestKeyApi)), keyId, admin.Identity!.Name!);
        return TypedResults.Ok(revoked);
    }

    /// <summary>Field errors of a new key's body (empty when it is fine): also used by the create-ingest-key command.</summary>
    internal static Dictionary<string, string[]> Validate(NewIngestKeyBody body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Name?.Trim() is not { Length: > 0 and <= MaxNameLength } name || name.Any(char.IsControl))
        {
            errors["name"] = [$"A key's name is 1 to {MaxNameLength} characters without control characters."];
        }

        if (body.Tag is not null && !SensorTag.IsValid(body.Tag, out var tagError))
        {
            errors["tag"] = [tagError];
        }

        return errors;
    }

    [LoggerMessage(LogLevel.Information, "Ingest key {KeyId} for {Scope} created by {Admin}")]
    private static partial void LogCreated(ILogger logger, string keyId, string scope, string admin);

    [LoggerMessage(LogLevel.Information, "Ingest key {KeyId} revoked by {Admin}")]
    private static partial void LogRevoked(ILogger logger, string keyId, string admin);
}
