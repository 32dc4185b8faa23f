using System.Security.Claims;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Auth;

/// <summary><c>/api/v1/operators</c> (admins): create, list, change role or password, disable and enable operators.</summary>
public static partial class OperatorApi
{
    private const int MaxBodyBytes = 4096;

    public static RouteGroupBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/operators").WithTags("Operators").RequireAuthorization(AccessPolicies.Admin);
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapPatch("/{user}", UpdateAsync);
        return group;
    }

    internal static async Task<Ok<OperatorList>> ListAsync(OperatorStore operators, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OperatorList([.. (await operators.ListAsync(cancellationToken)).Select(OperatorView.Of)]));

    internal static async Task<Results<Created<OperatorCreated>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        HttpRequest request, ClaimsPrincipal admin, OperatorStore operators, Passwords passwords, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.NewOperatorBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var body = read.Value ?? new NewOperatorBody(null, null, null);
        var errors = new Dictionary<string, string[]>();
        if (!OperatorName.TryNormalize(body.User, out var name, out var nameError))
        {
            errors["user"] = [nameError];
        }

        if (!OperatorRoles.IsValid(body.Role))
        {
            errors["role"] = [$"role is one of {string.Join(", ", OperatorRoles.All)}."];
        }

        if (body.Password is not null && !Passwords.IsAcceptable(body.Password, out var passwordError))
        {
            errors["password"] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad operator");
        }

        var password = body.Password ?? Passwords.Generate();
        var created = await operators.CreateAsync(name!, body.Role!, await passwords.HashAsync(password, cancellationToken), admin.Identity!.Name!, cancellationToken);
        if (created is null)
        {
            return TypedResults.Problem($"An operator '{name}' exists already.", statusCode: StatusCodes.Status409Conflict, title: "Operator exists");
        }

        LogCreated(logs.CreateLogger(typeof(OperatorApi)), created.UserName, created.Role, created.CreatedBy);
        return TypedResults.Created($"/api/v1/operators/{created.UserName}", new OperatorCreated(
            created.UserName, created.Role, created.CreatedAt, created.CreatedBy, body.Password is null ? password : null));
    }

    internal static async Task<Results<Ok<OperatorView>, ProblemHttpResult, ValidationProblem>> UpdateAsync(
        string user, HttpRequest request, ClaimsPrincipal admin, OperatorStore operators, Passwords passwords, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.OperatorChangeBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var errors = new Dictionary<string, string[]>();
        if (!OperatorName.TryNormalize(user, out var name, out var nameError))
        {
            errors["user"] = [nameError];
        }

        var body = read.Value;
        if (body is null || (body.Role, body.Password, body.Disabled) == (null, null, null))
        {
            errors["body"] = ["Send at least one of {\"role\": …, \"password\": …, \"disabled\": true|false}."];
        }
        else
        {
            if (body.Role is not null && !OperatorRoles.IsValid(body.Role))
            {
                errors["role"] = [$"role is one of {string.Join(", ", OperatorRoles.All)}."];
            }

            if (body.Password is not null && !Passwords.IsAcceptable(body.Password, out var passwordError))
            {
                errors["password"] = [passwordError];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad operator change");
        }

        var hash = body!.Password is null ? null : await passwords.HashAsync(body.Password, cancellationToken);
        var (result, account) = await operators.UpdateAsync(name!, new OperatorChange(body.Role, hash, body.Disabled), cancellationToken);
        switch (result)
        {
            case OperatorUpdate.NotFound:
                return TypedResults.Problem($"No operator '{name}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown operator");
            case OperatorUpdate.LastAdmin:
                return TypedResults.Problem($"'{name}' is the last enabled admin; make another admin first.", statusCode: StatusCodes.Status409Conflict, title: "Last admin");
            default:
                LogChanged(logs.CreateLogger(typeof(OperatorApi)), account!.UserName, account.Role, account.DisabledAt is not null, body.Password is not null, admin.Identity!.Name!);
                return TypedResults.Ok(OperatorView.Of(account));
        }
    }

    [LoggerMessage(LogLevel.Information, "Operator {User} created with role {Role} by {Admin}")]
    private static partial void LogCreated(ILogger logger, string user, string role, string admin);

    [LoggerMessage(LogLevel.Information, "Operator {User} changed by {Admin}: role {Role}, disabled {Disabled}, new password {NewPassword}")]
    private static partial void LogChanged(ILogger logger, string user, string role, bool disabled, bool newPassword, string admin);
}
