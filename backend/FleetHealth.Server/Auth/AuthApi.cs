using System.Globalization;
using System.Security.Claims;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Auth;

/// <summary><c>/api/v1/auth</c>: operators sign in (a session cookie), see who they are, change their own password, sign out.</summary>
public static class AuthApi
{
    /// <summary>A sign-in body is a user name and a password: a few hundred bytes; more is refused unread.</summary>
    public const int MaxLoginBytes = 4096;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/auth").WithTags("Auth").RequireAuthorization(AccessPolicies.Viewer);
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapPost("/logout", LogoutAsync).AllowAnonymous();
        group.MapGet("/me", Me);
        group.MapPost("/password", OwnPasswordApi.ChangeAsync);
        return group;
    }

    internal static async Task<Results<Ok<CurrentOperator>, ProblemHttpResult, ValidationProblem>> LoginAsync(
        HttpRequest request, SignInService signIn, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            // Only JSON: a plain form post from another site's page cannot sign a browser in.
            return TypedResults.Problem("Send {\"user\": …, \"password\": …} as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }

        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.LoginBody, MaxLoginBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var errors = new Dictionary<string, string[]>();
        if (read.Value?.User is not { Length: > 0 } user)
        {
            errors["user"] = ["Send your user name."];
        }
        else if (user.Length > OperatorName.MaxLength)
        {
            errors["user"] = [$"A user name is at most {OperatorName.MaxLength} characters."];
        }

        if (read.Value?.Password is not { Length: > 0 } password)
        {
            errors["password"] = ["Send your password."];
        }
        else if (password.Length > Passwords.MaxLength)
        {
            errors["password"] = [$"A password is at most {Passwords.MaxLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad sign-in");
        }

        return await signIn.SignInAsync(request.HttpContext, read.Value!.User!, read.Value.Password!, cancellationToken) switch
        {
            SignInOutcome.SignedIn signedIn => TypedResults.Ok(new CurrentOperator(signedIn.Account.UserName, signedIn.Account.Role)),
            SignInOutcome.Throttled throttled => Throttled(request.HttpContext, throttled.RetryAfter),
            _ => TypedResults.Problem("Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in refused"),
        };
    }

    internal static async Task<NoContent> LogoutAsync(HttpContext context, SignInService signIn, CancellationToken cancellationToken)
    {
        await signIn.SignOutAsync(context, cancellationToken);
        return TypedResults.NoContent();
    }

    internal static Ok<CurrentOperator> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new CurrentOperator(user.Identity!.Name!, user.FindFirstValue(ClaimTypes.Role)!));

    /// <summary>429 with Retry-After: the answer of a throttled sign-in or password check.</summary>
    internal static ProblemHttpResult Throttled(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem($"Too many failed password checks; try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts");
    }
}
