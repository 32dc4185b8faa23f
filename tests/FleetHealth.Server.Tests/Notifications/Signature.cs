using System.Security.Cryptography;
using System.Text;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>Checks a webhook's signature the way a receiver would (README: HMAC-SHA256 of "timestamp.body").</summary>
internal static class Signature
{
    public static bool IsValid(ReceivedRequest request, string secret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{request.Headers["X-FleetHealth-Timestamp"]}.{request.Body}")));
        return request.Headers.TryGetValue("X-FleetHealth-Signature", out var sent)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sent), Encoding.ASCII.GetBytes(expected));
    }
}
