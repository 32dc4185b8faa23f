using System.Security.Claims;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// <c>/api/v1/notifications/channels</c> (admins): where notifications go. Secrets (a webhook's
/// signing secret, a Slack URL, an SMTP password) are taken, never shown again. <c>POST
/// …/{id}/test</c> sends a test message at once and answers with what the receiver said.
/// </summary>
public static partial class ChannelApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapChannelApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications/channels").WithTags("Notifications").RequireAuthorization(AccessPolicies.Admin);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPatch("/{id}", PatchAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapPost("/{id}/test", TestAsync);
        return group;
    }

    internal static async Task<Ok<ChannelList>> ListAsync(ChannelStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ChannelList([.. (await store.ListAsync(cancellationToken)).Select(c => c.ToView())]));

    internal static async Task<Results<Created<ChannelView>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, ClaimsPrincipal admin, ChannelStore store, ChannelValidation validation, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.ChannelBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        if (read.Value is not { } body)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send {\"name\", \"kind\", …the kind's fields}."] }, title: "Bad channel");
        }

        var (config, secret, errors) = await validation.ValidateAsync(body, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad channel");
        }

        var created = await store.CreateAsync(body.Name!.Trim(), body.Kind!, config!, secret, admin.Identity!.Name!, cancellationToken);
        LogChanged(logs.CreateLogger(typeof(ChannelApi)), created.Id, created.Kind, "created", admin.Identity.Name!);
        return TypedResults.Created($"/api/v1/notifications/channels/{created.Id}", created.ToView());
    }

    internal static async Task<Results<Ok<ChannelView>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, ChannelStore store, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var channelId, out var bad))
        {
            return bad;
        }

        return await store.FindAsync(channelId, cancellationToken) is { } channel ? TypedResults.Ok(channel.ToView()) : Unknown(channelId);
    }

    internal static async Task<Results<Ok<ChannelView>, ProblemHttpResult, ValidationProblem>> PatchAsync(
        string id, HttpRequest request, ClaimsPrincipal admin, ChannelStore store, ChannelValidation validation, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var channelId, out var bad))
        {
            return bad;
        }

        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.ChannelBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        if (await store.FindAsync(channelId, cancellationToken) is not { } stored)
        {
            return Unknown(channelId);
        }

        var patch = read.Value ?? new ChannelBody(null, null, null, null, null, null, null, null, null, null, null);
        if (patch.Kind is not null && patch.Kind != stored.Kind)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = ["A channel's kind cannot change; make a new channel."] }, title: "Bad channel");
        }

        var merged = ChannelValidation.Merge(stored, patch);
        var (config, secret, errors) = await validation.ValidateAsync(merged, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad channel");
        }

        var updated = await store.UpdateAsync(channelId, merged.Name!.Trim(), config!, secret, cancellationToken);
        if (updated is null)
        {
            return Unknown(channelId);
        }

        LogChanged(logs.CreateLogger(typeof(ChannelApi)), channelId, updated.Kind, "changed", admin.Identity!.Name!);
        return TypedResults.Ok(updated.ToView());
    }

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(
        string id, ClaimsPrincipal admin, ChannelStore store, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var channelId, out var bad))
        {
            return bad;
        }

        if (!await store.DeleteAsync(channelId, cancellationToken))
        {
            return Unknown(channelId);
        }

        LogChanged(logs.CreateLogger(typeof(ChannelApi)), channelId, "-", "deleted", admin.Identity!.Name!);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<ChannelTestResult>, ProblemHttpResult, ValidationProblem>> TestAsync(
        string id, ChannelStore store, DeliveryService deliveries, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var channelId, out var bad))
        {
            return bad;
        }

        if (await store.FindAsync(channelId, cancellationToken) is not { } channel)
        {
            return Unknown(channelId);
        }

        return TypedResults.Ok(await deliveries.TestAsync(channel, cancellationToken));
    }

    private static ProblemHttpResult Unknown(long id) =>
        TypedResults.Problem($"No notification channel {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown channel");

    [LoggerMessage(LogLevel.Information, "Notification channel {Id} ({Kind}) {What} by {Admin}")]
    private static partial void LogChanged(ILogger logger, long id, string kind, string what, string admin);
}
