using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace FleetHealth.Server.Auth;

/// <summary>How checking a password ended.</summary>
public enum PasswordCheck
{
    Wrong,
    Right,

    /// <summary>Right, but hashed with older parameters: store a fresh hash.</summary>
    RightRehash,
}

/// <summary>
/// Operator passwords: ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512 with a random salt per
/// password, its iteration count inside the hash), slow on purpose. Passwords are compared exactly
/// as sent: the server runs with invariant globalization, where .NET does no Unicode normalisation,
/// so a password with accents must be typed the same way each time. At most one hash per core runs
/// at once, so a flood of sign-ins queues instead of starving the heartbeat path.
/// </summary>
public sealed class Passwords : IDisposable
{
    public const int MinLength = 12;
    public const int MaxLength = 1024;
    private const int GeneratedLength = 24;
    private const string GeneratedAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static readonly object User = new();

    private readonly PasswordHasher<object> _hasher = new();
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount);
    private readonly Lazy<string> _decoy;

    public Passwords() =>
        // Checked instead when the user name is unknown, so that the answer takes as long as for a known one.
        _decoy = new Lazy<string>(() => _hasher.HashPassword(User, Generate()));

    /// <summary>24 characters from an alphabet without look-alikes (about 139 bits); safe in JSON and shells unquoted.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(GeneratedAlphabet, GeneratedLength);

    /// <summary>Whether <paramref name="password"/> may be set; false with a reason fit for a 400 answer.</summary>
    public static bool IsAcceptable(string? password, [NotNullWhen(false)] out string? error)
    {
        var length = password?.Length ?? 0;
        error = length < MinLength || length > MaxLength ? $"A password is {MinLength} to {MaxLength} characters."
            : string.IsNullOrWhiteSpace(password) ? "A password cannot be all spaces."
            : null;
        return error is null;
    }

    public async Task<string> HashAsync(string password, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return _hasher.HashPassword(User, password);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Checks <paramref name="password"/> against <paramref name="hash"/>; a null hash (no such user) costs the same and is wrong.</summary>
    public async Task<PasswordCheck> VerifyAsync(string? hash, string password, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            var result = _hasher.VerifyHashedPassword(User, hash ?? _decoy.Value, password);
            return hash is null ? PasswordCheck.Wrong : result switch
            {
                PasswordVerificationResult.Success => PasswordCheck.Right,
                PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.RightRehash,
                _ => PasswordCheck.Wrong,
            };
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
