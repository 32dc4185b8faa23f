using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>Admins manage operators; roles take effect on the operator's next request.</summary>
public sealed class OperatorAdminTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _admin = factory.CreateClientAs(OperatorRoles.Admin);

    [Fact]
    public async Task A_new_operator_without_a_password_gets_a_generated_one_shown_once()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/operators", new NewOperatorBody("New.Viewer@site", OperatorRoles.Viewer, null));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<OperatorCreated>())!;
        Assert.Equal(("new.viewer@site", OperatorRoles.Viewer), (created.User, created.Role));
        Assert.True(Passwords.IsAcceptable(created.Password, out _));
        var list = await _admin.GetStringAsync("/api/v1/operators");
        Assert.Contains("new.viewer@site", list, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Password!, list, StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new LoginBody("new.viewer@site", created.Password))).StatusCode);
    }

    [Fact]
    public async Task A_chosen_password_is_not_echoed_back()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/operators", new NewOperatorBody("chosen", OperatorRoles.Operator, "my own long passphrase"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("my own long passphrase", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_name_is_409_whatever_its_case()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);

        using var response = await _admin.PostAsJsonAsync("/api/v1/operators", new NewOperatorBody(user.ToUpperInvariant(), OperatorRoles.Admin, null));

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("{\"user\": \"ok-name\", \"role\": \"root\"}", "role")]
    [InlineData("{\"user\": \"bad name\", \"role\": \"viewer\"}", "user")]
    [InlineData("{\"user\": \"ünïcode\", \"role\": \"viewer\"}", "user")]
    [InlineData("{\"role\": \"viewer\"}", "user")]
    [InlineData("{\"user\": \"ok-name\", \"role\": \"viewer\", \"password\": \"short\"}", "password")]
    [InlineData("{\"user\": \"ok-name\", \"role\": \"viewer\", \"password\": \"                \"}", "password")]
    [InlineData("{\"user\": [\"ok-name\"], \"role\": \"viewer\"}", "body")]
    public async Task A_bad_new_operator_is_400_naming_the_field(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        await ApiAssertions.AssertFieldErrorAsync(await _admin.PostAsync("/api/v1/operators", content), field);
    }

    [Fact]
    public async Task A_promoted_viewer_may_operate_on_its_next_request_without_signing_in_again()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var session = factory.CreateAuthenticatedClient(session: await factory.SignInAsync(user));
        await ApiAssertions.AssertProblemAsync(await session.PostAsync("/api/v1/sensors/promoted-1/register", null), HttpStatusCode.Forbidden);

        using var promote = await _admin.PatchAsJsonAsync($"/api/v1/operators/{user}", new OperatorChangeBody(OperatorRoles.Operator, null, null));

        Assert.Equal(OperatorRoles.Operator, (await promote.Content.ReadFromJsonAsync<OperatorView>())!.Role);
        using var register = await session.PostAsync("/api/v1/sensors/promoted-1/register", null);
        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.Equal("registered", (await register.Content.ReadFromJsonAsync<SensorView>())!.Status);
    }

    [Fact]
    public async Task The_last_enabled_admin_can_be_neither_demoted_nor_disabled()
    {
        // This class's database has one admin: the factory's.
        var admins = (await _admin.GetFromJsonAsync<OperatorList>("/api/v1/operators"))!.Items.Where(o => o.Role == OperatorRoles.Admin && o.DisabledAt is null).ToList();
        var only = Assert.Single(admins).User;

        using var demote = await _admin.PatchAsJsonAsync($"/api/v1/operators/{only}", new OperatorChangeBody(OperatorRoles.Viewer, null, null));
        using var disable = await _admin.PatchAsJsonAsync($"/api/v1/operators/{only}", new OperatorChangeBody(null, null, true));

        await ApiAssertions.AssertProblemAsync(demote, HttpStatusCode.Conflict);
        await ApiAssertions.AssertProblemAsync(disable, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync("/api/v1/operators")).StatusCode);
    }

    [Fact]
    public async Task A_disabled_operator_can_be_enabled_again()
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        await _admin.PatchAsJsonAsync($"/api/v1/operators/{user}", new OperatorChangeBody(null, null, true));

        using var enable = await _admin.PatchAsJsonAsync($"/api/v1/operators/{user}", new OperatorChangeBody(null, null, false));

        Assert.Null((await enable.Content.ReadFromJsonAsync<OperatorView>())!.DisabledAt);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, TestAccess.Password))).StatusCode);
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("{\"role\": \"superuser\"}", "role")]
    [InlineData("{\"password\": \"tiny\"}", "password")]
    [InlineData("{\"disabled\": \"yes\"}", "body")]
    public async Task A_bad_change_is_400_naming_the_field(string json, string field)
    {
        var user = await factory.CreateOperatorAsync(OperatorRoles.Viewer);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        await ApiAssertions.AssertFieldErrorAsync(await _admin.PatchAsync($"/api/v1/operators/{user}", content), field);
    }

    [Fact]
    public async Task Changing_an_unknown_operator_is_404()
    {
        using var response = await _admin.PatchAsJsonAsync("/api/v1/operators/nobody-at-all", new OperatorChangeBody(OperatorRoles.Viewer, null, null));

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }
}
