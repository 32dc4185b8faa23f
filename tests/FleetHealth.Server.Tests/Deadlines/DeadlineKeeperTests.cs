using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using FleetHealth.Fleet;
using FleetHealth.Server.Sharding;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Deadlines;

/// <summary>
/// On the Akka engine a silent sensor's actor leaves memory after a short idleness, and its next
/// deadline is still kept: the deadline keeper wakes it from the read model before the deadline, and
/// the transition is stamped at the true deadline. Nothing in the test speaks to the sensor after its
/// heartbeat, so only the keeper can have started it again.
/// </summary>
public sealed class DeadlineKeeperTests(DeadlineKeeperTests.Server server) : IClassFixture<DeadlineKeeperTests.Server>
{
    private const double StaleAfterSeconds = 8;

    [Fact]
    public async Task A_passivated_silent_sensor_still_turns_stale_at_its_true_deadline()
    {
        const string sensor = "keeper-idle-1";
        using var client = server.CreateIngestClient();
        var response = await client.PostAsync($"/api/v1/heartbeats/{sensor}", JsonBody("{\"sequence\": 1}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var receivedAt = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("receivedAt").GetDateTimeOffset();

        // Idle passivation (Fleet:PassivateIdleAfterSeconds) takes it out of memory before its stale deadline.
        await Eventually.Until(() => IsResidentAsync(sensor), resident => !resident, TimeSpan.FromSeconds(StaleAfterSeconds - 1), "the idle sensor is passivated");

        var stale = await Eventually.Until(
            () => TransitionToAsync(sensor, "Stale"),
            at => at is not null,
            TimeSpan.FromSeconds(30),
            "the passivated sensor turns stale");
        Assert.Equal(receivedAt + TimeSpan.FromSeconds(StaleAfterSeconds), stale);
    }

    private async Task<bool> IsResidentAsync(string sensorId)
    {
        var region = server.Services.GetRequiredService<IRequiredActor<SensorRegion>>().ActorRef;
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
        return state.Shards.Any(shard => shard.EntityIds.Contains(sensorId));
    }

    private async Task<DateTimeOffset?> TransitionToAsync(string sensorId, string to)
    {
        await using var command = server.DataSource.CreateCommand("""
            SELECT convert_from(message, 'UTF8') FROM akka.event_journal
            WHERE persistence_id = $1 AND manifest = 'sensor.status-changed.v1' ORDER BY sequence_number
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = SensorActor.PersistenceIdOf(sensorId) });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var change = JsonDocument.Parse(reader.GetString(0)).RootElement;
            if (change.GetProperty("to").GetString() == to)
            {
                return change.GetProperty("at").GetDateTimeOffset();
            }
        }

        return null;
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public sealed class Server() : FleetHealthFactory(new Dictionary<string, string>
    {
        ["Fleet:PassivateIdleAfterSeconds"] = "2",
        ["Fleet:DeadlineLookaheadSeconds"] = "1",
        ["Liveness:DefaultIntervalSeconds"] = "1",
        ["Liveness:DefaultGraceSeconds"] = "0.5",
        ["Liveness:StaleAfterSeconds"] = StaleAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}
