namespace FleetHealth.Server.Auth;

/// <summary>How a change of one's own password ended.</summary>
public enum OwnPasswordOutcome
{
    Changed,

    /// <summary>The current password was wrong (or the operator is gone): nothing changed.</summary>
    WrongCurrent,

    Throttled,
}

/// <summary>
/// A signed-in operator changes their own password: the current one is checked first, behind the
/// sign-in throttle (the same buckets, per user name and per address, so a stolen session gives no
/// extra guesses at the password); then the new hash is stored and every other session of the
/// operator ends, while the one asking stays signed in.
/// </summary>
public sealed partial class OwnPasswordChange(
    OperatorStore operators,
    Passwords passwords,
    LoginThrottle throttle,
    ILogger<OwnPasswordChange> logger)
{
    /// <summary>The outcome, and the wait when throttled.</summary>
    public async Task<(OwnPasswordOutcome Outcome, TimeSpan RetryAfter)> ChangeAsync(
        HttpContext context, string userName, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        var address = context.Connection.RemoteIpAddress;
        var throttleKey = userName.ToLowerInvariant();
        if (throttle.Blocked(throttleKey, address) is { } wait)
        {
            LogThrottled(userName, LoginThrottle.AddressKey(address));
            return (OwnPasswordOutcome.Throttled, wait);
        }

        var account = await operators.FindAsync(userName, cancellationToken);
        if (await passwords.VerifyAsync(account?.PasswordHash, currentPassword, cancellationToken) == PasswordCheck.Wrong)
        {
            throttle.Failed(throttleKey, address);
            LogWrongCurrent(userName, LoginThrottle.AddressKey(address));
            return (OwnPasswordOutcome.WrongCurrent, TimeSpan.Zero);
        }

        var hash = await passwords.HashAsync(newPassword, cancellationToken);
        var (result, _) = await operators.UpdateAsync(userName, new OperatorChange(PasswordHash: hash, KeepSession: SessionCookie.TokenHash(context.Request)), cancellationToken);
        if (result != OperatorUpdate.Done)
        {
            // Deleted between the check and the update: as if the password were wrong.
            return (OwnPasswordOutcome.WrongCurrent, TimeSpan.Zero);
        }

        LogChanged(userName, LoginThrottle.AddressKey(address));
        return (OwnPasswordOutcome.Changed, TimeSpan.Zero);
    }

    [LoggerMessage(LogLevel.Information, "Operator {User} changed their own password from {Address}; their other sessions ended")]
    private partial void LogChanged(string user, string address);

    [LoggerMessage(LogLevel.Warning, "Password change refused for {User} from {Address}: wrong current password")]
    private partial void LogWrongCurrent(string user, string address);

    [LoggerMessage(LogLevel.Warning, "Password change throttled for {User} from {Address}")]
    private partial void LogThrottled(string user, string address);
}
