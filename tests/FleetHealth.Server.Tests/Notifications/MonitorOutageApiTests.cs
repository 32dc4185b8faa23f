using System.Net;
using System.Net.Http.Json;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Notifications;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>The server with a fast pulse, so that a gap in it is noticed within a test.</summary>
public sealed class PulseNotificationFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Notifications:AllowedTargets:0"] = "127.0.0.1",
    ["Notifications:PulseSeconds"] = "0.2",
    ["Notifications:OutageGraceSeconds"] = "60",
    ["Notifications:OutageRecountSeconds"] = "600",
});

/// <summary>
/// <c>GET /api/v1/notifications/monitor-outages</c>: the monitor's own downtime, from the gaps in
/// the pulse every node writes. A gap is made as a stopped monitor leaves it: the last pulse long ago.
/// </summary>
public sealed class MonitorOutageApiTests(PulseNotificationFactory factory) : IClassFixture<PulseNotificationFactory>
{
    private readonly HttpClient _viewer = factory.CreateClientAs(OperatorRoles.Viewer);

    [Fact]
    public async Task A_gap_in_the_pulse_is_listed_as_the_monitors_outage_with_the_sensors_held_after_it()
    {
        await Eventually.Until(() => ScalarAsync("SELECT count(*) FROM monitor_pulse"), n => n == 1, TimeSpan.FromSeconds(30), "the first pulse");
        var before = await OutagesAsync();
        Assert.Empty(before.Items);
        Assert.Equal(60, before.GraceSeconds);

        // As after a restart: the last pulse ten minutes ago, and a stale transition of then projected now (held).
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        await HeldTransitionAsync("mo-silent", tenMinutesAgo);
        await using (var command = factory.DataSource.CreateCommand("UPDATE monitor_pulse SET last_seen = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = tenMinutesAgo });
            await command.ExecuteNonQueryAsync();
        }

        var after = await Eventually.Until(OutagesAsync, l => l.Items.Count > 0, TimeSpan.FromSeconds(30), "the next pulse records the gap");

        var outage = Assert.Single(after.Items);
        Assert.InRange((outage.StartedAt - tenMinutesAgo).Duration(), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        Assert.InRange(outage.Seconds, 590, 660);
        Assert.Equal(1, outage.HeldSensors);
        Assert.Equal(0, outage.DroppedSensors);
        // Later pulses, on time, record nothing more.
        await Eventually.Until(LastPulseAsync, last => last > outage.EndedAt.AddSeconds(1), TimeSpan.FromSeconds(30), "later pulses");
        Assert.Single((await OutagesAsync()).Items);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("many")]
    public async Task A_bad_limit_is_400_naming_it(string limit)
    {
        using var response = await _viewer.GetAsync($"/api/v1/notifications/monitor-outages?limit={limit}");

        await ApiAssertions.AssertFieldErrorAsync(response, "limit");
    }

    [Fact]
    public async Task Without_a_session_the_outages_are_401()
    {
        using var response = await factory.CreateClient().GetAsync("/api/v1/notifications/monitor-outages");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<MonitorOutageList> OutagesAsync() =>
        (await _viewer.GetFromJsonAsync<MonitorOutageList>("/api/v1/notifications/monitor-outages"))!;

    /// <summary>A sensor and a rule of its tag, and its stale transition stamped <paramref name="at"/>, written through the projection's outbox hook now.</summary>
    private async Task HeldTransitionAsync(string sensorId, DateTimeOffset at)
    {
        const string tag = "mo";
        var admin = factory.CreateClientAs(OperatorRoles.Admin);
        var channel = await admin.CreateWebhookAsync("http://127.0.0.1:9/unused");
        await admin.CreateRuleAsync(NotificationApi.Rule(["stale"], tag, channel.Id, wait: 3600));
        using var sensors = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync(tag));
        await GroupingTests.BeatAsync(sensors, sensorId, "ok");
        await Eventually.Until(() => ScalarAsync($"SELECT count(*) FROM sensors WHERE sensor_id = '{sensorId}' AND '{tag}' = ANY(tags)"), n => n == 1, TimeSpan.FromSeconds(30), "the sensor is projected");
        var outbox = factory.Services.GetServices<ITransitionOutbox>().OfType<NotificationOutbox>().Single();
        await using var connection = await factory.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await outbox.WriteAsync(connection, transaction, [new ProjectedTransition(sensorId, LivenessStatus.Healthy, LivenessStatus.Stale, at)], CancellationToken.None);
        await transaction.CommitAsync();
    }

    private async Task<DateTimeOffset> LastPulseAsync()
    {
        await using var command = factory.DataSource.CreateCommand("SELECT last_seen FROM monitor_pulse");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = factory.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
