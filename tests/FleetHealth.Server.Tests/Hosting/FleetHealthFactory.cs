using FleetHealth.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// The server in memory over its own empty database (the server migrates it at start, as in
/// production). One per test class: use as <c>IClassFixture</c>.
/// </summary>
public sealed class FleetHealthFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly IsolatedDatabase _database = new();

    public string ConnectionString => _database.ConnectionString;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        using var client = CreateClient();
        await Eventually.Until(
            async () => (await client.GetAsync("/readyz")).IsSuccessStatusCode,
            ready => ready,
            TimeSpan.FromSeconds(30),
            "the server becomes ready");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", _database.ConnectionString);
        builder.UseEnvironment("Testing");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }
}
