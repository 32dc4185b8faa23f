using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace FleetHealth.Server.Auth;

/// <summary>
/// An operator's user name: 1 to 64 characters of <c>a-z 0-9 . _ - @</c>. Sign-in is
/// case-insensitive (names are stored lower-case); the small ASCII alphabet keeps names that look
/// alike from being different accounts, and makes them safe in log lines.
/// </summary>
public static class OperatorName
{
    public const int MaxLength = 64;

    // Upper-case letters are accepted and folded; checked before folding, so that no non-ASCII
    // letter folds into an ASCII one (the Kelvin sign into k).
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-@");

    /// <summary>The stored form of <paramref name="text"/>, or false with a reason fit for a 400 answer.</summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            error = $"A user name is 1 to {MaxLength} characters.";
            return false;
        }

        var bad = text.AsSpan().IndexOfAnyExcept(Allowed);
        if (bad >= 0)
        {
            error = $"A user name holds only a-z 0-9 . _ - @; position {bad + 1} does not.";
            return false;
        }

        name = text.ToLowerInvariant();
        error = null;
        return true;
    }
}
