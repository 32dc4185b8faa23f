using System.Net;
using FleetHealth.Testing;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>The server on virtual time, with sessions of one idle hour and at most two hours.</summary>
public sealed class VirtualTimeFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Auth:SessionIdleMinutes"] = "60",
    ["Auth:SessionMaxHours"] = "2",
})
{
    public VirtualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Sliding expiry: use keeps a session alive up to its maximum; an idle one ends.</summary>
public sealed class SessionExpiryTests(VirtualTimeFactory factory) : IClassFixture<VirtualTimeFactory>
{
    [Fact]
    public async Task A_session_in_use_slides_its_end_past_the_first_hour()
    {
        using var client = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(await factory.CreateOperatorAsync(OperatorRoles.Viewer)));

        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        using var early = await client.GetAsync("/api/v1/auth/me");
        factory.Clock.Advance(TimeSpan.FromMinutes(20));
        using var renewed = await client.GetAsync("/api/v1/auth/me");
        factory.Clock.Advance(TimeSpan.FromMinutes(55));
        using var later = await client.GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.False(early.Headers.Contains("Set-Cookie"), "no renewal while more than half the idle time is left");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.NotNull(TestAccess.SessionToken(renewed));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task An_unused_session_ends_after_the_idle_time()
    {
        using var client = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(await factory.CreateOperatorAsync(OperatorRoles.Viewer)));

        factory.Clock.Advance(TimeSpan.FromMinutes(59));
        using var before = await client.GetAsync("/api/v1/auth/me");
        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        using var after = await client.GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_session_ends_at_its_maximum_lifetime_however_busy()
    {
        using var client = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(await factory.CreateOperatorAsync(OperatorRoles.Viewer)));

        for (var minutes = 25; minutes < 120; minutes += 25)
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(25));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        }

        factory.Clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }
}
