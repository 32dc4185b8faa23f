using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Auth;

/// <summary>
/// Operators' authentication: the session cookie, looked up in PostgreSQL on every request (so a
/// sign-out, a disabled operator or a changed role counts at once, on every node; the dashboard's
/// request rate makes that cheap). Sliding expiry: once half the idle time has passed, a request
/// pushes the session's end back, never past its maximum lifetime. Answers 401/403 problem
/// details, never redirects.
/// </summary>
internal sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    SessionStore sessions,
    TimeProvider clock,
    IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(SessionCookie.Name, out var token))
        {
            return AuthenticateResult.NoResult();
        }

        if (!SecretToken.IsWellFormed(token))
        {
            return AuthenticateResult.Fail("Malformed session cookie.");
        }

        var hash = SecretToken.Hash(token);
        var now = clock.GetUtcNow();
        OperatorSession? session;
        try
        {
            session = await sessions.FindAsync(hash, now, Context.RequestAborted);
            if (session is not null && Renewal(session, now) is { } expires)
            {
                await sessions.ExtendAsync(hash, expires, Context.RequestAborted);
                SessionCookie.Append(Context, token, expires);
            }
        }
        catch (NpgsqlException)
        {
            AccessProblems.MarkUnavailable(Context);
            return AuthenticateResult.Fail("Sessions cannot be read now.");
        }

        return session is null
            ? AuthenticateResult.Fail("No such session: signed out, expired, or the operator was disabled.")
            : AuthenticateResult.Success(new AuthenticationTicket(Principal(session.UserName, session.Role), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AccessProblems.ChallengeAsync(Context, "Not signed in", "Sign in first: POST /api/v1/auth/login with {\"user\": …, \"password\": …}.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AccessProblems.ForbidAsync(Context, "Your role does not allow this.");

    internal static ClaimsPrincipal Principal(string userName, string role) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, userName), new Claim(ClaimTypes.Role, role)], SchemeName, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The new end of the session when it is due for renewal, else null.</summary>
    private DateTimeOffset? Renewal(OperatorSession session, DateTimeOffset now)
    {
        var idle = auth.Value.SessionIdle;
        var expires = Min(now + idle, session.CreatedAt + auth.Value.SessionMax);
        return session.ExpiresAt - now < idle / 2 && expires > session.ExpiresAt ? expires : null;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
