using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Hosting;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>
/// The bootstrap commands of the server dll, run as processes (as scripts/run.sh runs them) against
/// the database of a running server, which learns of what they make.
/// </summary>
public sealed class BootstrapCommandTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private WebApplicationFactory<Program> _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFactory().WithWebHostBuilder(b => b.UseSetting("Database:ConnectionString", db.ConnectionString));
        _server.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Create_admin_prints_a_password_that_signs_in_once_and_never_overwrites_silently()
    {
        var output = await ServerProcess.RunCommandAsync(db.ConnectionString, "create-admin", "First.Admin");
        var password = ServerProcess.Field(output, "admin-password");

        Assert.Equal("first.admin", ServerProcess.Field(output, "admin-user"));
        Assert.True(Passwords.IsAcceptable(password, out _));
        Assert.Equal(OperatorRoles.Admin, (await SignInAsync("first.admin", password))!.Role);

        var (code, again, _) = await ServerProcess.RunCommandRawAsync(db.ConnectionString, "create-admin", "first.admin");
        Assert.Equal(CreateAdminCommand.Exists, code);
        Assert.DoesNotContain("admin-password", again, StringComparison.Ordinal);
        Assert.NotNull(await SignInAsync("first.admin", password));
    }

    [Fact]
    public async Task Create_admin_with_reset_gives_a_new_password_and_the_old_one_stops_working()
    {
        var first = ServerProcess.Field(await ServerProcess.RunCommandAsync(db.ConnectionString, "create-admin", "reset-me"), "admin-password");
        var old = await _server.SignInAsync("reset-me", first);

        var second = ServerProcess.Field(await ServerProcess.RunCommandAsync(db.ConnectionString, "create-admin", "reset-me", "--reset"), "admin-password");

        Assert.NotEqual(first, second);
        Assert.Null(await SignInAsync("reset-me", first));
        Assert.NotNull(await SignInAsync("reset-me", second));
        using var oldSession = _server.CreateAuthenticatedClient(session: old);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldSession.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Create_ingest_key_prints_a_key_the_running_server_accepts_within_its_tag()
    {
        var output = await ServerProcess.RunCommandAsync(db.ConnectionString, "create-ingest-key", "pumps of the north", "--tag", "site:north");
        var key = ServerProcess.Field(output, "ingest-key");
        using var sensor = _server.CreateAuthenticatedClient(ingestKey: key);

        await Eventually.Until(async () => (await sensor.PostAsync("/api/v1/heartbeats/cmd-key-1", null)).StatusCode, s => s == HttpStatusCode.Accepted,
            TimeSpan.FromSeconds(10), "the server learns of the key through the table's notification");

        using var admin = await _server.CreateClientAsAsync(OperatorRoles.Admin);
        var list = await admin.GetStringAsync("/api/v1/ingest-keys");
        Assert.Contains(ServerProcess.Field(output, "ingest-key-id"), list, StringComparison.Ordinal);
        Assert.Contains("pumps of the north", list, StringComparison.Ordinal);
        Assert.Contains("site:north", list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create-admin")]
    [InlineData("create-admin", "bad name")]
    [InlineData("create-ingest-key")]
    [InlineData("create-ingest-key", "ok", "--tag", "bad tag")]
    public async Task Bad_arguments_exit_with_code_2_and_say_why(params string[] args)
    {
        var (code, _, error) = await ServerProcess.RunCommandRawAsync(db.ConnectionString, args);

        Assert.Equal(ServerCommands.BadArguments, code);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    private async Task<CurrentOperator?> SignInAsync(string user, string password)
    {
        using var client = _server.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new LoginBody(user, password));
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<CurrentOperator>() : null;
    }
}
