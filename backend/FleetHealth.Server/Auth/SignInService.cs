using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Auth;

/// <summary>How a sign-in attempt ended.</summary>
public abstract record SignInOutcome
{
    public sealed record SignedIn(OperatorAccount Account) : SignInOutcome;

    /// <summary>Wrong user name or password, or a disabled operator: the caller is not told which.</summary>
    public sealed record Refused : SignInOutcome;

    public sealed record Throttled(TimeSpan RetryAfter) : SignInOutcome;
}

/// <summary>
/// Signs operators in and out: throttle, check the password (as slowly for unknown names as for
/// known ones), open a session and set its cookie. Passwords are never logged; user names are
/// logged only when they are well-formed (anything else could forge log lines).
/// </summary>
public sealed partial class SignInService(
    OperatorStore operators,
    SessionStore sessions,
    Passwords passwords,
    LoginThrottle throttle,
    TimeProvider clock,
    IOptions<AuthOptions> options,
    ILogger<SignInService> logger)
{
    public async Task<SignInOutcome> SignInAsync(HttpContext context, string user, string password, CancellationToken cancellationToken)
    {
        var address = context.Connection.RemoteIpAddress;
        var throttleKey = user.ToLowerInvariant();
        if (throttle.Blocked(throttleKey, address) is { } wait)
        {
            LogThrottled(Loggable(user), LoginThrottle.AddressKey(address));
            return new SignInOutcome.Throttled(wait);
        }

        var account = OperatorName.TryNormalize(user, out var name, out _) ? await operators.FindAsync(name, cancellationToken) : null;
        var enabled = account is { DisabledAt: null } ? account : null;
        var check = await passwords.VerifyAsync(enabled?.PasswordHash, password, cancellationToken);
        if (enabled is null || check == PasswordCheck.Wrong)
        {
            throttle.Failed(throttleKey, address);
            LogRefused(Loggable(user), LoginThrottle.AddressKey(address));
            return new SignInOutcome.Refused();
        }

        if (check == PasswordCheck.RightRehash)
        {
            // The framework's hashing parameters moved on since this hash was made: store a new one.
            await operators.UpdateAsync(enabled.UserName, new OperatorChange(PasswordHash: await passwords.HashAsync(password, cancellationToken)), cancellationToken);
        }

        var token = SecretToken.Create();
        var now = clock.GetUtcNow();
        var idle = options.Value.SessionIdle < options.Value.SessionMax ? options.Value.SessionIdle : options.Value.SessionMax;
        await sessions.CreateAsync(enabled.Id, SecretToken.Hash(token), now, now + idle, cancellationToken);
        SessionCookie.Append(context, token, now + idle);
        LogSignedIn(enabled.UserName, enabled.Role, LoginThrottle.AddressKey(address));
        return new SignInOutcome.SignedIn(enabled);
    }

    /// <summary>Ends the request's session, if any, and clears its cookie.</summary>
    public async Task SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (SessionCookie.TokenHash(context.Request) is { } hash)
        {
            try
            {
                await sessions.DeleteAsync(hash, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                // The cookie goes anyway; the session row expires on its own.
                LogSignOutFailed(e.Message);
            }
        }

        SessionCookie.Delete(context);
    }

    private static string Loggable(string user) =>
        OperatorName.TryNormalize(user, out var name, out _) ? name : "(not a valid user name)";

    [LoggerMessage(LogLevel.Information, "Operator {User} signed in as {Role} from {Address}")]
    private partial void LogSignedIn(string user, string role, string address);

    [LoggerMessage(LogLevel.Warning, "Sign-in refused for {User} from {Address}")]
    private partial void LogRefused(string user, string address);

    [LoggerMessage(LogLevel.Warning, "Sign-in throttled for {User} from {Address}")]
    private partial void LogThrottled(string user, string address);

    [LoggerMessage(LogLevel.Warning, "Sign-out could not delete the session ({Reason})")]
    private partial void LogSignOutFailed(string reason);
}
