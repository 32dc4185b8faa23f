using System.Net.Http.Json;
using FleetHealth.Server.Live;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Live;

/// <summary>A client that stops reading is dropped; the server's memory for it stays bounded.</summary>
public sealed class SlowClientTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task A_client_that_does_not_read_is_dropped_once_its_queue_is_full()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>
        {
            ["Live:BatchMilliseconds"] = "20",
            ["Live:OutgoingQueueLength"] = "4",
        });
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ok => ok, TimeSpan.FromSeconds(30), "ready");
        var session = await server.SessionAsAsync("viewer");
        var viewer = server.CreateClient(session: session);
        await Eventually.Until(async () => (await viewer.GetFromJsonAsync<LiveStatus>("/api/v1/live"))!.Listening, ok => ok, TimeSpan.FromSeconds(30), "listening");
        await using var socket = await LiveSocket.ConnectAsync(server.BaseAddress, session, startReading: false);

        // Each round changes 2000 sensors with long ids (~400 KB per delta); the socket buffers fill,
        // then the bounded queue, and the hub drops the client instead of buffering more.
        await using (var create = db.DataSource.CreateCommand("INSERT INTO sensors (sensor_id) SELECT 'slow-' || lpad(g::text, 120, '0') FROM generate_series(1, 2000) g"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await Eventually.Until(async () =>
        {
            await using var touch = db.DataSource.CreateCommand("UPDATE sensors SET heartbeat_count = heartbeat_count + 1");
            await touch.ExecuteNonQueryAsync();
            return (await viewer.GetFromJsonAsync<LiveStatus>("/api/v1/live"))!;
        }, s => s.SlowClientsDropped >= 1, TimeSpan.FromSeconds(60), "the slow client is dropped");

        await Eventually.Until(async () => (await viewer.GetFromJsonAsync<LiveStatus>("/api/v1/live"))!.Clients, c => c == 0, TimeSpan.FromSeconds(15), "the dropped client is gone");
    }
}
