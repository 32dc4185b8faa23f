using System.Net.Http.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>Without <c>Notifications:AllowedTargets</c>, internal targets are refused, by address or by a name resolving to one.</summary>
public sealed class TargetAllowlistApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://[::1]:8080/hook")]
    [InlineData("http://192.168.0.10/hook")]
    public async Task An_internal_target_that_is_not_listed_is_refused(string url)
    {
        using var response = await factory.CreateClientAs(OperatorRoles.Admin).PostAsJsonAsync("/api/v1/notifications/channels", NotificationApi.Webhook(url));

        Assert.Contains("AllowedTargets", await ApiAssertions.AssertFieldErrorAsync(response, "url"), StringComparison.Ordinal);
    }
}
