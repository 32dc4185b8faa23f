using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>
/// Any signed-in operator changes their own password; their other sessions end, the asking one
/// stays. Runs with three failures per user name (<see cref="PerUserThrottleFactory"/>), so the
/// throttle on wrong current passwords shows quickly.
/// </summary>
public sealed class OwnPasswordTests(PerUserThrottleFactory factory) : IClassFixture<PerUserThrottleFactory>
{
    private const string NewPassword = "my new long passphrase";

    [Theory]
    [InlineData(OperatorRoles.Viewer)]
    [InlineData(OperatorRoles.Operator)]
    [InlineData(OperatorRoles.Admin)]
    public async Task Any_role_changes_its_own_password_and_only_the_new_one_signs_in(string role)
    {
        var user = await factory.CreateOperatorAsync(role);
        using var client = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));

        using var change = await client.PostAsJsonAsync("/api/v1/auth/password", new OwnPasswordBody(TestAccess.Password, NewPassword));

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var anonymous = factory.CreateClient();
        await ApiAssertions.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password)), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, NewPassword))).StatusCode);
    }

    [Fact]
    public async Task The_operators_other_sessions_end_the_asking_one_and_other_operators_stay()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Operator);
        var bystander = await factory.CreateOperatorAsync(OperatorRoles.Operator);
        using var asking = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));
        using var otherBrowser = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));
        using var someoneElse = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(bystander));

        using var change = await asking.PostAsJsonAsync("/api/v1/auth/password", new OwnPasswordBody(TestAccess.Password, NewPassword));

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        await ApiAssertions.AssertProblemAsync(await otherBrowser.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized);
        Assert.Equal(new CurrentOperator(user, OperatorRoles.Operator), await asking.GetFromJsonAsync<CurrentOperator>("/api/v1/auth/me"));
        Assert.Equal(HttpStatusCode.OK, (await someoneElse.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("                ")]
    [InlineData("")]
    public async Task A_weak_new_password_is_400_naming_newPassword_and_the_old_one_stays(string weak)
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));

        using var change = await client.PostAsJsonAsync("/api/v1/auth/password", new OwnPasswordBody(TestAccess.Password, weak));

        await ApiAssertions.AssertFieldErrorAsync(change, "newPassword");
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password))).StatusCode);
    }

    [Fact]
    public async Task A_wrong_current_password_is_403_and_after_the_allowed_failures_429_like_sign_in()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/api/v1/auth/password", new OwnPasswordBody($"guess number {i}", NewPassword));
            await ApiAssertions.AssertProblemAsync(wrong, HttpStatusCode.Forbidden);
        }

        using var right = await client.PostAsJsonAsync("/api/v1/auth/password", new OwnPasswordBody(TestAccess.Password, NewPassword));
        using var signIn = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password));

        // The same buckets as sign-in: a session gives no extra guesses at the password.
        await ApiAssertions.AssertProblemAsync(right, HttpStatusCode.TooManyRequests);
        Assert.InRange(right.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3600));
        await ApiAssertions.AssertProblemAsync(signIn, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [InlineData("{}", "currentPassword")]
    [InlineData("{\"newPassword\": \"my new long passphrase\"}", "currentPassword")]
    [InlineData("{\"currentPassword\": \"correct horse battery staple\"}", "newPassword")]
    [InlineData("{\"currentPassword\": 42, \"newPassword\": \"my new long passphrase\"}", "body")]
    [InlineData("", "currentPassword")]
    public async Task Missing_or_malformed_fields_are_400_naming_the_field(string json, string field)
    {
        using var client = await factory.CreateClientAsAsync(OperatorRoles.Viewer);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        await ApiAssertions.AssertFieldErrorAsync(await client.PostAsync("/api/v1/auth/password", content), field);
    }

    [Fact]
    public async Task Without_a_session_it_is_401()
    {
        using var response = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/password", new OwnPasswordBody(TestAccess.Password, NewPassword));

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }
}
