using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>One built server process over its own database, shared by a test class (<c>IClassFixture</c>), ready before the first test.</summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    public IsolatedDatabase Database { get; } = new();

    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Server = await ServerProcess.StartAsync(Database.ConnectionString);
        await Eventually.Until(() => Server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "readiness");
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Database.DisposeAsync();
    }
}
