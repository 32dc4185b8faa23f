using System.Net.Http.Json;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Api;

/// <summary><c>/api/v1/sensors/{id}/heartbeats</c> and <c>/history</c>: the sensor page's timeline and transitions.</summary>
public sealed class SensorHistoryApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private readonly HttpClient _client = factory.CreateTrustedClient();

    private async Task ExecuteAsync(string sql)
    {
        await using var command = factory.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Heartbeats_since_a_time_come_oldest_first_and_the_limit_says_when_it_cut()
    {
        // Rows land in the daily partitions the server made, or in the default partition: either way readable.
        await ExecuteAsync("""
            INSERT INTO heartbeats (sensor_id, received_at, interval_seconds, sequence)
            SELECT 'hist-1', now() - make_interval(mins => g), 60, 100 - g FROM generate_series(0, 90) g
            """);

        var lastHour = await _client.GetFromJsonAsync<SensorHeartbeats>("/api/v1/sensors/hist-1/heartbeats");
        var limited = await _client.GetFromJsonAsync<SensorHeartbeats>($"/api/v1/sensors/hist-1/heartbeats?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&limit=10");

        Assert.InRange(lastHour!.Items.Count, 60, 61);
        Assert.True(Enumerable.Zip(lastHour.Items, lastHour.Items.Skip(1)).All(p => p.First.ReceivedAt <= p.Second.ReceivedAt));
        Assert.Equal(10, limited!.Items.Count);
        Assert.True(limited.Truncated);
    }

    [Fact]
    public async Task History_lists_the_transitions_of_one_sensor()
    {
        await ExecuteAsync("""
            INSERT INTO state_changes (sensor_id, from_status, to_status, at, reason) VALUES
              ('hist-2', 'healthy', 'late', now() - interval '2 hours', 'missed'),
              ('hist-2', 'late', 'healthy', now() - interval '1 hour', 'back'),
              ('other', 'healthy', 'dead', now(), '')
            """);

        var history = await _client.GetFromJsonAsync<SensorHistory>("/api/v1/sensors/hist-2/history");

        Assert.Equal(["late", "healthy"], history!.Items.Select(i => i.To));
    }

    [Theory]
    [InlineData("/api/v1/sensors/bad%20id/history", "sensorId")]
    [InlineData("/api/v1/sensors/ok/heartbeats?limit=0", "limit")]
    public async Task Bad_parameters_are_400(string url, string field)
    {
        using var response = await _client.GetAsync(url);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }
}
