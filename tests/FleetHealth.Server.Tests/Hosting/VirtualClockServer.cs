using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.TestKit;
using FleetHealth.Fleet;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Sharding;
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
/// <remarks>
/// Only the sensors' deadline timers are virtual: they run on a <see cref="TestScheduler"/> of their
/// own (<see cref="SensorDeadlineScheduler"/>), moved with the clock by the same amounts and by
/// nothing else. The actor system keeps its real scheduler, so the read journal's polling, the
/// cluster, sharding, leases and asks run on real time whatever the test does with the clock (a
/// scheduler pumped to follow real time let the read journal fall behind under load). "Quiescent"
/// is the barrier of <see cref="ResidentSensors"/>.
/// </remarks>
public sealed class VirtualClockServer(
    string connectionString,
    VirtualClock clock,
    IReadOnlyDictionary<string, string>? settings = null,
    Action<IServiceCollection>? services = null)
    : ServerFactory
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);
    private readonly TestScheduler _deadlines = new(ConfigurationFactory.Empty, NoLogger.Instance);

    public VirtualClock Clock => clock;

    public HttpClient Client { get; private set; } = null!;

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

        await Services.GetRequiredService<FleetPolicy>().Loaded.WaitAsync(TimeSpan.FromSeconds(30));
        var session = await this.SignInAsync(await this.CreateOperatorAsync(OperatorRoles.Admin));
        Client = this.CreateAuthenticatedClient(session, await this.CreateIngestKeyAsync());
        return this;
    }

    /// <summary>Lets the actors finish, moves virtual time (firing the timers due), and lets them finish again.</summary>
    public async Task AdvanceToAsync(DateTimeOffset until)
    {
        await SensorsHandledAllAsync();
        // The clock first: a sensor reads "now" from it when its timer message arrives.
        var by = AdvanceClockTo(until);
        _deadlines.Advance(by);
        await SensorsHandledAllAsync();
        // A timer armed while the advance ran (a sensor the deadline keeper woke) may have missed it: due now, it fires now.
        _deadlines.Advance(TimeSpan.Zero);
        await SensorsHandledAllAsync();
    }

    /// <summary>
    /// Waits until the sensors have handled everything sent to them: every sensor in memory has
    /// answered a barrier (<see cref="ResidentSensors"/>).
    /// </summary>
    public Task QuiesceAsync() => SensorsHandledAllAsync();

    /// <summary>Waits until the projection has applied every journal event (the engine's journal).</summary>
    public async Task CaughtUpAsync(NpgsqlDataSource db)
    {
        await QuiesceAsync();
        await Eventually.Until(
            () => ProjectionLag.EventsAsync(db),
            lag => lag == 0,
            TimeSpan.FromSeconds(60),
            "the projection catches up with the journal");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:ConnectionString", connectionString);
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
            registrations.AddSingleton(new SensorDeadlineScheduler(_deadlines));
            services?.Invoke(registrations);
        });
    }

    private TimeSpan AdvanceClockTo(DateTimeOffset until)
    {
        var by = until - clock.GetUtcNow();
        if (by <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        clock.Advance(by);
        return by;
    }

    private Task SensorsHandledAllAsync() =>
        ResidentSensors.HandledAllAsync(Services.GetRequiredService<IRequiredActor<SensorRegion>>().ActorRef, Quiet);
}
