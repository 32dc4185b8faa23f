using System.Security.Claims;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// <c>/api/v1/notifications/rules</c> (operators): which transitions of which sensors go to which
/// channels, and how they are grouped. A change counts for the transitions projected after it.
/// </summary>
public static class RuleApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapRuleApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications/rules").WithTags("Notifications").RequireAuthorization(AccessPolicies.Operator);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", ReplaceAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return group;
    }

    internal static async Task<Ok<RuleList>> ListAsync(RuleStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RuleList(await store.ListAsync(cancellationToken)));

    internal static async Task<Results<Ok<RuleView>, ProblemHttpResult, ValidationProblem>> GetAsync(string id, RuleStore store, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var ruleId, out var bad))
        {
            return bad;
        }

        return await store.FindAsync(ruleId, cancellationToken) is { } rule ? TypedResults.Ok(rule) : Unknown(ruleId);
    }

    internal static async Task<Results<Created<RuleView>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, RuleStore rules, ChannelStore channels, CancellationToken cancellationToken)
    {
        var (rule, refused, invalid) = await ReadAsync(request, channels, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (invalid is not null || rule is null)
        {
            return invalid!;
        }

        long id;
        try
        {
            id = await rules.CreateAsync(rule, user.Identity!.Name!, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return ChannelGone();
        }

        return TypedResults.Created($"/api/v1/notifications/rules/{id}", (await rules.FindAsync(id, cancellationToken))!);
    }

    internal static async Task<Results<Ok<RuleView>, ProblemHttpResult, ValidationProblem>> ReplaceAsync(
        string id, HttpRequest request, RuleStore rules, ChannelStore channels, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var ruleId, out var bad))
        {
            return bad;
        }

        var (rule, refused, invalid) = await ReadAsync(request, channels, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        if (invalid is not null || rule is null)
        {
            return invalid!;
        }

        try
        {
            if (!await rules.ReplaceAsync(ruleId, rule, cancellationToken))
            {
                return Unknown(ruleId);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return ChannelGone();
        }

        return TypedResults.Ok((await rules.FindAsync(ruleId, cancellationToken))!);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> DeleteAsync(string id, RuleStore store, CancellationToken cancellationToken)
    {
        if (!NotificationIds.TryParse(id, out var ruleId, out var bad))
        {
            return bad;
        }

        return await store.DeleteAsync(ruleId, cancellationToken) ? TypedResults.NoContent() : Unknown(ruleId);
    }

    /// <summary>The body as a rule whose channels exist, or the problem to answer.</summary>
    private static async Task<(RuleDefinition? Rule, ProblemHttpResult? Refused, ValidationProblem? Invalid)> ReadAsync(HttpRequest request, ChannelStore channels, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.RuleBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return (null, refused, null);
        }

        if (read.Malformed is { } malformed)
        {
            return (null, null, malformed);
        }

        if (read.Value is not { } body)
        {
            return (null, null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["Send {\"name\", \"transitions\", \"tag\", \"channels\", …}."] }, title: "Bad rule"));
        }

        var (rule, errors) = RuleValidation.Validate(body);
        if (rule is not null && await channels.MissingAsync(rule.Channels, cancellationToken) is { Length: > 0 } missing)
        {
            errors["channels"] = [$"No channel {string.Join(", ", missing)}."];
        }

        return errors.Count > 0 ? (null, null, TypedResults.ValidationProblem(errors, title: "Bad rule")) : (rule, null, null);
    }

    private static ProblemHttpResult Unknown(long id) =>
        TypedResults.Problem($"No notification rule {id}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown rule");

    private static ProblemHttpResult ChannelGone() =>
        TypedResults.Problem("A channel of the rule was deleted meanwhile.", statusCode: StatusCodes.Status409Conflict, title: "Channel gone");
}
