using FleetHealth.Server.Auth;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Hosting;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// The server in memory over its own empty database (the server migrates it at start, as in
/// production). One per test class: use as <c>IClassFixture</c>. Once ready it holds an
/// all-sensor ingest key and a signed-in operator of each role, made through the server's own
/// services (<see cref="TestAccess"/>), so tests get authenticated clients synchronously.
/// Subclass it to run the server with other settings.
/// </summary>
public class FleetHealthFactory : ServerFactory, IAsyncLifetime
{
    private readonly IsolatedDatabase _database = new();
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Dictionary<string, string> _sessions = [];

    public FleetHealthFactory() : this(new Dictionary<string, string>())
    {
    }

    protected FleetHealthFactory(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public string ConnectionString => _database.ConnectionString;

    public Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>The all-sensor ingest key every <see cref="CreateIngestClient"/> sends.</summary>
    public string IngestKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        using (var client = CreateClient())
        {
            await Eventually.Until(
                async () => (await client.GetAsync("/readyz")).IsSuccessStatusCode,
                ready => ready,
                TimeSpan.FromSeconds(30),
                "the server becomes ready");
        }

        IngestKey = await this.CreateIngestKeyAsync();
        foreach (var role in OperatorRoles.All)
        {
            _sessions[role] = await this.SignInAsync(await this.CreateOperatorAsync(role));
        }
    }

    /// <summary>A sensor's client: the all-sensor ingest key, no session.</summary>
    public HttpClient CreateIngestClient() => this.CreateAuthenticatedClient(ingestKey: IngestKey);

    /// <summary>An operator's client: signed in with <paramref name="role"/>, no ingest key.</summary>
    public HttpClient CreateClientAs(string role) => this.CreateAuthenticatedClient(session: _sessions[role]);

    /// <summary>For tests about something else than access: a client that is both an admin and a sensor (all-sensor key).</summary>
    public HttpClient CreateTrustedClient() => this.CreateAuthenticatedClient(_sessions[OperatorRoles.Admin], IngestKey);

    /// <summary>The session token of the seeded operator of <paramref name="role"/> (for websockets).</summary>
    public string SessionOf(string role) => _sessions[role];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", _database.ConnectionString);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Testing");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
    }
}
