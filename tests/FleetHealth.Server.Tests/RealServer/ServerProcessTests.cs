using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Health;
using FleetHealth.Server.Sensors;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>The built server as a child process on a loopback port, as the run command starts it.</summary>
public sealed class ServerProcessTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task A_heartbeat_over_loopback_http_is_stored_and_shown()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString);
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "readiness");

        using var post = await (await server.IngestClientAsync()).PostAsync("/api/v1/heartbeats/loopback-1", null);
        var sensor = await (await server.ClientAsAsync("viewer")).GetFromJsonAsync<SensorView>("/api/v1/sensors/loopback-1");

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        Assert.Equal(1, sensor!.HeartbeatCount);
    }

    [Fact]
    public async Task Without_a_database_the_server_is_alive_but_not_ready_and_refuses_to_acknowledge()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = FreePort.Next(), Timeout = 1 }.ConnectionString;
        await using var server = await ServerProcess.StartAsync(unreachable);

        using var ready = await server.Client.GetAsync("/readyz");
        // A well-formed key: without the database it can be neither accepted nor refused.
        var sensor = server.CreateClient(ingestKey: $"fhk_0123456789ab_{new string('A', 43)}");
        using var post = await sensor.PostAsync("/api/v1/heartbeats/nowhere-1", null);

        Assert.True(await server.AnswersAsync("/healthz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("database unreachable", (await ready.Content.ReadFromJsonAsync<HealthReport>())!.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.True(post.Headers.RetryAfter is not null, "a 503 tells the sensor when to retry");
        Assert.Equal(HttpStatusCode.Unauthorized, (await sensor.PostAsync("/api/v1/sensors/nowhere-1/retire", null)).StatusCode);
    }

    [Fact]
    public async Task A_server_started_before_its_database_becomes_ready_once_the_database_exists()
    {
        var later = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Database = $"late_{Guid.NewGuid():N}"[..20] };
        await using var server = await ServerProcess.StartAsync(later.ConnectionString);
        Assert.False(await server.AnswersAsync("/readyz"));

        await using (var create = db.DataSource.CreateCommand($"CREATE DATABASE \"{later.Database}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        await Eventually.Until(() => server.AnswersAsync("/readyz"), ok => ok, TimeSpan.FromSeconds(30), "readiness after the database appears");
        using var post = await (await server.IngestClientAsync()).PostAsync("/api/v1/heartbeats/late-1", null);
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
    }

    [Fact]
    public async Task Bad_configuration_stops_the_start_with_a_clear_message()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ServerProcess.StartAsync(db.ConnectionString, new Dictionary<string, string> { ["Ingest:MaxBodyBytes"] = "-5" }));

        Assert.Contains("MaxBodyBytes", error.Message, StringComparison.Ordinal);
    }
}
