using FleetHealth.Actors;
using FleetHealth.Actors.TestKit;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Fleet;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// The whole server in memory over a given database, with a <see cref="VirtualClock"/> as its
/// TimeProvider: heartbeats are received at the clock's time and the sensors' timers fire when the
/// test advances it. Infrastructure waits (projection polling, backoffs) stay on real time.
/// <paramref name="services"/> replaces services after the server's own registrations (e.g. a
/// Migrator over fewer migrations, to run the server as an earlier release's schema had it).
/// </summary>
public sealed class VirtualClockServer(
    string connectionString,
    VirtualClock clock,
    IReadOnlyDictionary<string, string>? settings = null,
    Action<IServiceCollection>? services = null)
    : ServerFactory
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    public VirtualClock Clock => clock;

    public HttpClient Client { get; private set; } = null!;

    public ActorSystem Actors => Services.GetRequiredService<ActorSystem>();

    /// <summary>
    /// Starts the server and waits until it is ready and its rules are loaded; <see cref="Client"/> is
    /// then both an admin and a sensor (an all-sensor ingest key), since these tests are about the fleet.
    /// </summary>
    public async Task<VirtualClockServer> StartAsync()
    {
        using (var anonymous = CreateClient())
        {
            await Eventually.Until(async () => (await anonymous.GetAsync("/readyz")).IsSuccessStatusCode, ready => ready, TimeSpan.FromSeconds(30), "the server becomes ready");
        }

        await Services.GetRequiredService<SensorFleet>().Policy.Loaded.WaitAsync(TimeSpan.FromSeconds(30));
        var session = await this.SignInAsync(await this.CreateOperatorAsync(OperatorRoles.Admin));
        Client = this.CreateAuthenticatedClient(session, await this.CreateIngestKeyAsync());
        return this;
    }

    /// <summary>Lets the actors finish, moves virtual time (firing the timers due), and lets them finish again.</summary>
    public async Task AdvanceToAsync(DateTimeOffset until)
    {
        await QuiesceAsync();
        if (until > clock.GetUtcNow())
        {
            clock.Advance(until - clock.GetUtcNow());
        }

        await QuiesceAsync();
    }

    public async Task QuiesceAsync() => Assert.True(await Actors.WhenQuiescentAsync(Quiet), "the actor system did not become quiescent");

    /// <summary>Waits until the projection has applied every journal event.</summary>
    public async Task CaughtUpAsync(NpgsqlDataSource db)
    {
        await QuiesceAsync();
        await Eventually.Until(() => ProjectionLag.EventsAsync(db), lag => lag == 0, TimeSpan.FromSeconds(60), "the projection catches up with the journal");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.UseSetting("Projection:IdlePollMilliseconds", "5");
        // Sessions run on the fleet's clock, which these tests move by days at a time.
        builder.UseSetting("Auth:SessionIdleMinutes", (60 * 24 * 30).ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:SessionMaxHours", (24 * 365).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Testing");
        builder.ConfigureTestServices(registrations =>
        {
            registrations.AddSingleton<TimeProvider>(clock);
            services?.Invoke(registrations);
        });
    }
}
