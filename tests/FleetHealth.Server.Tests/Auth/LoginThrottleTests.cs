using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>Three failures per user name, then nothing for an hour; addresses barely limited.</summary>
public sealed class PerUserThrottleFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Auth:LoginFailuresPerUser"] = "3",
    ["Auth:LoginFailuresPerAddress"] = "1000",
    ["Auth:LoginFailureRefillSeconds"] = "3600",
});

/// <summary>Four failures per client address, then nothing for an hour; user names barely limited.</summary>
public sealed class PerAddressThrottleFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Auth:LoginFailuresPerUser"] = "1000",
    ["Auth:LoginFailuresPerAddress"] = "4",
    ["Auth:LoginFailureRefillSeconds"] = "3600",
});

/// <summary>Failed sign-ins are throttled per user name, so a password cannot be guessed by brute force.</summary>
public sealed class PerUserLoginThrottleTests(PerUserThrottleFactory factory) : IClassFixture<PerUserThrottleFactory>
{
    [Fact]
    public async Task After_the_allowed_failures_even_the_right_password_gets_429_with_retry_after()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        var bystander = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await ApiAssertions.AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, $"guess number {i}")), HttpStatusCode.Unauthorized);
        }

        using var guessed = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user.ToUpperInvariant(), TestAccess.Password));
        using var other = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(bystander, TestAccess.Password));

        await ApiAssertions.AssertProblemAsync(guessed, HttpStatusCode.TooManyRequests);
        Assert.InRange(guessed.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3600));
        Assert.False(guessed.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Successful_sign_ins_do_not_count_against_the_user()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password))).StatusCode);
        }
    }
}

/// <summary>Failed sign-ins are throttled per client address, so one client cannot spray guesses over many names.</summary>
public sealed class PerAddressLoginThrottleTests(PerAddressThrottleFactory factory) : IClassFixture<PerAddressThrottleFactory>
{
    [Fact]
    public async Task Failures_over_many_names_from_one_address_throttle_that_address()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            await ApiAssertions.AssertProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody($"sprayed-{i}", "password1234")), HttpStatusCode.Unauthorized);
        }

        using var throttled = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password));

        await ApiAssertions.AssertProblemAsync(throttled, HttpStatusCode.TooManyRequests);
        Assert.NotNull(throttled.Headers.RetryAfter);
    }
}

public sealed class LoginThrottleAddressTests
{
    [Theory]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "192.0.2.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData(null, "unknown")]
    public void Addresses_count_per_host_and_ipv6_per_64(string? address, string key) =>
        Assert.Equal(key, LoginThrottle.AddressKey(address is null ? null : IPAddress.Parse(address)));
}
