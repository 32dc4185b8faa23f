using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Auth;

/// <summary>
/// Brute-force brake on sign-in: a token bucket per user name and one per client address, spent
/// only by failed attempts. While either is empty, sign-in answers 429 with Retry-After before the
/// password is even checked (a throttled guess learns nothing, right or wrong). Buckets live in
/// this node's memory: behind a load balancer each node brakes on its own, and a restart forgets.
/// </summary>
/// <remarks>
/// The per-name bucket lets someone lock a known user name out for a while by failing on purpose;
/// the alternative, unlimited guesses at a known name, is worse. An IPv6 client counts per /64,
/// since one host often holds a whole /64.
/// </remarks>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _users;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly TimeSpan _refill;

    public LoginThrottle(IOptions<AuthOptions> options)
    {
        var o = options.Value;
        _refill = TimeSpan.FromSeconds(o.LoginFailureRefillSeconds);
        _users = Buckets(o.LoginFailuresPerUser, _refill);
        _addresses = Buckets(o.LoginFailuresPerAddress, _refill);
    }

    /// <summary>How long the caller must wait, or null when it may try.</summary>
    public TimeSpan? Blocked(string userKey, IPAddress? address)
    {
        var addressKey = AddressKey(address);
        return Exhausted(_addresses, addressKey) ?? Exhausted(_users, userKey);
    }

    /// <summary>Spends one attempt of the user name and of the address.</summary>
    public void Failed(string userKey, IPAddress? address)
    {
        _addresses.AttemptAcquire(AddressKey(address)).Dispose();
        _users.AttemptAcquire(userKey).Dispose();
    }

    public void Dispose()
    {
        _users.Dispose();
        _addresses.Dispose();
    }

    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private TimeSpan? Exhausted(PartitionedRateLimiter<string> buckets, string key) =>
        // Whole permits only: the bucket refills continuously, and a fraction of an attempt is none.
        // The wait is one refill period at most (the bucket does not say how much of it is left).
        buckets.GetStatistics(key)?.CurrentAvailablePermits is < 1 ? _refill : null;

    private static PartitionedRateLimiter<string> Buckets(int attempts, TimeSpan refill) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = attempts,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
            // The partitioned limiter replenishes all its buckets from one timer; no timer per bucket.
            AutoReplenishment = false,
        }));
}
