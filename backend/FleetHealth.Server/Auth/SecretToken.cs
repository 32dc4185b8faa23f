using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace FleetHealth.Server.Auth;

/// <summary>
/// Random bearer secrets (session tokens, ingest-key secrets): 32 random bytes as base64url text,
/// stored only as their SHA-256. A fast hash is right here, unlike for passwords: a 256-bit random
/// secret cannot be guessed from its hash however fast the hash is, and checking it sits on the hot
/// path. Comparisons of hashes take constant time.
/// </summary>
public static class SecretToken
{
    public const int RandomBytes = 32;

    /// <summary>Characters of a token: base64url of <see cref="RandomBytes"/> bytes, without padding.</summary>
    public const int Length = 43;

    private static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>True for exactly <see cref="Length"/> characters of the base64url alphabet.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token) =>
        token.Length == Length && !token.ContainsAnyExcept(Alphabet);

    /// <summary>SHA-256 of the token's (ASCII) text.</summary>
    public static byte[] Hash(ReadOnlySpan<char> token)
    {
        Span<byte> text = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(token[..Math.Min(token.Length, Length)], text);
        return SHA256.HashData(text[..written]);
    }

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="hash"/>, in time independent of where they differ.</summary>
    public static bool Matches(ReadOnlySpan<char> token, ReadOnlySpan<byte> hash)
    {
        Span<byte> text = stackalloc byte[Length];
        var written = Encoding.ASCII.GetBytes(token[..Math.Min(token.Length, Length)], text);
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text[..written], actual);
        return CryptographicOperations.FixedTimeEquals(actual, hash);
    }
}
