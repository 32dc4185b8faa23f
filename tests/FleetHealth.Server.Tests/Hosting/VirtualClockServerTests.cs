using System.Net;
using System.Net.Http.Json;
using Akka.TestKit;
using FleetHealth.Server.Sensors;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using AkkaSystem = Akka.Actor.ActorSystem;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// <see cref="VirtualClockServer"/> itself: the sensors' deadlines follow the virtual clock and
/// nothing else does, so Akka (and with it the read journal that feeds the projection) keeps real time.
/// </summary>
public sealed class VirtualClockServerTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task Sensor_deadlines_wait_for_the_virtual_clock_while_the_projection_keeps_up_in_real_time()
    {
        var clock = new VirtualClock();
        await using var server = await new VirtualClockServer(db.ConnectionString, clock).StartAsync();
        Assert.IsNotType<TestScheduler>(server.Services.GetRequiredService<AkkaSystem>().Scheduler);

        using var beat = await server.Client.PostAsync("/api/v1/heartbeats/vclock-1", null);
        Assert.Equal(HttpStatusCode.Accepted, beat.StatusCode);
        // Caught up with the virtual clock standing still: the projection's feed does not wait for it.
        await server.CaughtUpAsync(db.DataSource);
        Assert.Equal("healthy", await StatusAsync(server));

        // Past interval + grace (60 + 30 s) of virtual time: the sensor's own timer makes it late at that instant.
        await server.AdvanceToAsync(clock.GetUtcNow().AddSeconds(91));
        await server.CaughtUpAsync(db.DataSource);

        Assert.Equal("late", await StatusAsync(server));
    }

    private static async Task<string> StatusAsync(VirtualClockServer server) =>
        (await server.Client.GetFromJsonAsync<SensorView>("/api/v1/sensors/vclock-1"))!.Status;
}
