using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>Operators sign in with a name and a password; the session is a cookie the API honours until it ends.</summary>
public sealed class LoginTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    [Fact]
    public async Task Signing_in_sets_an_httponly_samesite_strict_cookie_and_me_says_who()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Operator);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user.ToUpperInvariant(), TestAccess.Password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new CurrentOperator(user, OperatorRoles.Operator), await response.Content.ReadFromJsonAsync<CurrentOperator>());
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(SessionCookie.Name + "=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal);
        using var me = factory.CreateAuthenticatedClient(session: TestAccess.SessionToken(response));
        Assert.Equal(new CurrentOperator(user, OperatorRoles.Operator), await me.GetFromJsonAsync<CurrentOperator>("/api/v1/auth/me"));
    }

    [Fact]
    public async Task Over_https_the_cookie_is_secure()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = new Uri("https://localhost") });

        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secure", response.Headers.GetValues("Set-Cookie").Single().ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_401()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var client = factory.CreateClient();

        using var wrongPassword = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, "not the password at all"));
        using var unknownUser = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody("nobody-here", TestAccess.Password));

        var first = await ApiAssertions.AssertProblemAsync(wrongPassword, HttpStatusCode.Unauthorized);
        var second = await ApiAssertions.AssertProblemAsync(unknownUser, HttpStatusCode.Unauthorized);
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
        Assert.False(wrongPassword.Headers.Contains("Set-Cookie"));
        Assert.False(unknownUser.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_not_only_in_the_browser()
    {
        var session = await factory.SignInAsync(await factory.CreateOperatorAsync(OperatorRoles.Viewer));
        using var client = factory.CreateAuthenticatedClient(session: session);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);

        using var logout = await client.PostAsync("/api/v1/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith(SessionCookie.Name + "=;", StringComparison.Ordinal));
        await ApiAssertions.AssertProblemAsync(await client.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_without_a_session_is_harmless()
    {
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_operator_cannot_sign_in_and_loses_the_sessions_it_had()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Operator);
        using var session = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));
        using var admin = factory.CreateClientAs(OperatorRoles.Admin);

        using var disable = await admin.PatchAsJsonAsync($"/api/v1/operators/{user}", new OperatorChangeBody(null, null, true));

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        await ApiAssertions.AssertProblemAsync(await session.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized);
        using var again = await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password));
        await ApiAssertions.AssertProblemAsync(again, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_changed_password_ends_old_sessions_and_only_the_new_one_signs_in()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var old = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));
        using var admin = factory.CreateClientAs(OperatorRoles.Admin);

        using var change = await admin.PatchAsJsonAsync($"/api/v1/operators/{user}", new OperatorChangeBody(null, "a brand new passphrase", null));

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        await ApiAssertions.AssertProblemAsync(await old.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized);
        using var anonymous = factory.CreateClient();
        await ApiAssertions.AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password)), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, "a brand new passphrase"))).StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_that_is_not_a_session_is_401()
    {
        using var forged = factory.CreateAuthenticatedClient(session: new string('A', SecretToken.Length));
        using var garbage = factory.CreateAuthenticatedClient(session: "<script>alert(1)</script>");

        await ApiAssertions.AssertProblemAsync(await forged.GetAsync("/api/v1/sensors"), HttpStatusCode.Unauthorized);
        await ApiAssertions.AssertProblemAsync(await garbage.GetAsync("/api/v1/sensors"), HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string?, HttpStatusCode, string?> HostileBodies => new()
    {
        { "{\"user\": 42, \"password\": \"x\"}", "application/json", HttpStatusCode.BadRequest, "body" },
        { "{\"user\": \"a\", \"password\": [\"x\"]}", "application/json", HttpStatusCode.BadRequest, "body" },
        { "{\"user\": {\"$ne\": null}, \"password\": \"x\"}", "application/json", HttpStatusCode.BadRequest, "body" },
        { "{\"password\": \"x\"}", "application/json", HttpStatusCode.BadRequest, "user" },
        { "{\"user\": \"a\"}", "application/json", HttpStatusCode.BadRequest, "password" },
        { "{\"user\": \"\", \"password\": \"\"}", "application/json", HttpStatusCode.BadRequest, "user" },
        { "null", "application/json", HttpStatusCode.BadRequest, "user" },
        { "", "application/json", HttpStatusCode.BadRequest, "user" },
        { "[]", "application/json", HttpStatusCode.BadRequest, "body" },
        { "{\"user\": \"a\", \"password\": \"x\"", "application/json", HttpStatusCode.BadRequest, "body" },
        { "\u0000\u0001\u0002", "application/json", HttpStatusCode.BadRequest, "body" },
        { $"{{\"user\": \"{new string('u', 65)}\", \"password\": \"x\"}}", "application/json", HttpStatusCode.BadRequest, "user" },
        { $"{{\"user\": \"a\", \"password\": \"{new string('p', 1025)}\"}}", "application/json", HttpStatusCode.BadRequest, "password" },
        { $"{{\"user\": \"a\", \"password\": \"{new string('p', 10_000)}\"}}", "application/json", HttpStatusCode.RequestEntityTooLarge, null },
        { "user=admin&password=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, null },
        { "{\"user\": \"a\", \"password\": \"x\"}", "text/plain", HttpStatusCode.UnsupportedMediaType, null },
        { "{\"user\": \"a\", \"password\": \"x\"}", null, HttpStatusCode.UnsupportedMediaType, null },
        { "{\"user\": \"ädmin\", \"password\": \"x\"}", "application/json", HttpStatusCode.Unauthorized, null },
        { "{\"user\": \"admin\\u0000\", \"password\": \"x\"}", "application/json", HttpStatusCode.Unauthorized, null },
        { "{\"user\": \"\\u212Admin\", \"password\": \"x\"}", "application/json", HttpStatusCode.Unauthorized, null },
        { "{\"user\": \"admin\\nforged log line\", \"password\": \"x\"}", "application/json", HttpStatusCode.Unauthorized, null },
        { "{\"user\": \"🚀🚀🚀\", \"password\": \"🔑\"}", "application/json", HttpStatusCode.Unauthorized, null },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_sign_in_bodies_get_a_clear_refusal_and_the_server_keeps_serving(string body, string? contentType, HttpStatusCode status, string? field)
    {
        using var client = factory.CreateClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = new(contentType);
        }

        using var response = await client.PostAsync("/api/v1/auth/login", content);

        if (field is null)
        {
            await ApiAssertions.AssertProblemAsync(response, status);
        }
        else
        {
            await ApiAssertions.AssertFieldErrorAsync(response, field);
        }

        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_password_of_any_unicode_signs_in_exactly_as_set()
    {
        const string password = "pässwörd 🔐 密码 \u00e9t\u00e9";
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer, password: password);
        using var client = factory.CreateClient();

        using var right = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, password));
        using var decomposed = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, password.Replace("\u00e9", "e\u0301", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, decomposed.StatusCode);
    }
}
