using System.Security.Claims;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FleetHealth.Server.Auth;

/// <summary><c>POST /api/v1/auth/password</c>: any signed-in operator changes their own password.</summary>
public static class OwnPasswordApi
{
    /// <summary>Two passwords of at most <see cref="Passwords.MaxLength"/> characters, escaped: well under this.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    internal static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> ChangeAsync(
        HttpRequest request, ClaimsPrincipal user, OwnPasswordChange change, CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadOptionalAsync(request, ApiJsonContext.Default.OwnPasswordBody, MaxBodyBytes, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Malformed is { } malformed)
        {
            return malformed;
        }

        var errors = new Dictionary<string, string[]>();
        if (read.Value?.CurrentPassword is not { Length: > 0 } current)
        {
            errors["currentPassword"] = ["Send your current password."];
        }
        else if (current.Length > Passwords.MaxLength)
        {
            errors["currentPassword"] = [$"A password is at most {Passwords.MaxLength} characters."];
        }

        if (read.Value?.NewPassword is not { } next)
        {
            errors["newPassword"] = ["Send the new password."];
        }
        else if (!Passwords.IsAcceptable(next, out var weak))
        {
            errors["newPassword"] = [weak];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Bad password change");
        }

        var (outcome, retryAfter) = await change.ChangeAsync(request.HttpContext, user.Identity!.Name!, read.Value!.CurrentPassword!, read.Value.NewPassword!, cancellationToken);
        return outcome switch
        {
            OwnPasswordOutcome.Changed => TypedResults.NoContent(),
            OwnPasswordOutcome.Throttled => AuthApi.Throttled(request.HttpContext, retryAfter),
            _ => TypedResults.Problem("The current password is wrong.", statusCode: StatusCodes.Status403Forbidden, title: "Password change refused"),
        };
    }
}
