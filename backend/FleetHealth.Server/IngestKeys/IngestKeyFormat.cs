using System.Buffers;
using System.Security.Cryptography;
using FleetHealth.Server.Auth;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// An ingest key as sensors send it: <c>fhk_&lt;keyId&gt;_&lt;secret&gt;</c>, where the key id is 12 hex
/// digits (not secret: lists and logs name keys by it) and the secret 32 random bytes in base64url
/// (<see cref="SecretToken"/>). The fixed shape lets anything else be refused before any lookup.
/// </summary>
public static class IngestKeyFormat
{
    public const string Prefix = "fhk_";
    public const int KeyIdLength = 12;
    public const int Length = 4 + KeyIdLength + 1 + SecretToken.Length;

    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

    /// <summary>A new key: its id, the full text to hand out once, and the hash to store.</summary>
    public static (string KeyId, string Key, byte[] SecretHash) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));
        var secret = SecretToken.Create();
        return (keyId, $"{Prefix}{keyId}_{secret}", SecretToken.Hash(secret));
    }

    public static bool IsKeyId(ReadOnlySpan<char> text) => text.Length == KeyIdLength && !text.ContainsAnyExcept(Hex);

    /// <summary>Splits a well-formed key into its id and secret; false for anything else (wrong length, prefix or alphabet).</summary>
    public static bool TryParse(ReadOnlySpan<char> key, out ReadOnlySpan<char> keyId, out ReadOnlySpan<char> secret)
    {
        keyId = default;
        secret = default;
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[Prefix.Length + KeyIdLength] != '_')
        {
            return false;
        }

        keyId = key.Slice(Prefix.Length, KeyIdLength);
        secret = key[(Prefix.Length + KeyIdLength + 1)..];
        return IsKeyId(keyId) && SecretToken.IsWellFormed(secret);
    }
}
