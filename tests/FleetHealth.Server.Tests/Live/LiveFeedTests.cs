using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using FleetHealth.Server.Live;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Live;

/// <summary>The built server as a child process, over its own database: one per test class.</summary>
public sealed class LiveServerFixture : IAsyncLifetime
{
    private readonly IsolatedDatabase _database = new();

    public ServerProcess Server { get; private set; } = null!;

    public NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>A viewer's session token: what a signed-in dashboard's websocket carries.</summary>
    public string Session { get; private set; } = null!;

    public HttpClient Viewer { get; private set; } = null!;

    public HttpClient Sensors { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Server = await ServerProcess.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Live:BatchMilliseconds"] = "100", ["Live:CountsMilliseconds"] = "100", ["Live:SessionCheckSeconds"] = "1" });
        await Eventually.Until(() => Server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "readiness");
        Session = await Server.SessionAsAsync("viewer");
        Viewer = Server.CreateClient(session: Session);
        Sensors = await Server.IngestClientAsync();
        await Eventually.Until(async () => (await Viewer.GetFromJsonAsync<LiveStatus>("/api/v1/live"))!.Listening, l => l, TimeSpan.FromSeconds(30), "the change feed listens");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _database.DisposeAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Trigger → NOTIFY → LISTEN → hub → websocket, against the real PostgreSQL and a real server on loopback.</summary>
public sealed class LiveFeedTests(LiveServerFixture fixture) : IClassFixture<LiveServerFixture>
{
    private readonly ServerProcess _server = fixture.Server;
    private readonly string _session = fixture.Session;

    private static bool HasUpsert(JsonElement delta, string id) =>
        delta.GetProperty("upserts").EnumerateArray().Any(s => s.GetProperty("id").GetString() == id);

    [Fact]
    public async Task A_client_gets_a_snapshot_then_sees_a_new_sensor_appear()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        var snapshot = await socket.NextAsync("snapshot");
        Assert.Equal("connect", snapshot.GetProperty("reason").GetString());
        Assert.True(snapshot.GetProperty("complete").GetBoolean());
        Assert.Equal(100_000, snapshot.GetProperty("limit").GetInt32());

        using var post = await fixture.Sensors.PostAsync("/api/v1/heartbeats/live-new-1", null);
        var delta = await socket.NextAsync("delta", d => HasUpsert(d, "live-new-1"));

        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var row = delta.GetProperty("upserts").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "live-new-1");
        Assert.Equal("healthy", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_client_count_is_reported()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        var status = await fixture.Viewer.GetFromJsonAsync<LiveStatus>("/api/v1/live");

        Assert.InRange(status!.Clients, 1, 100);
        Assert.True(status.Listening);
    }

    [Fact]
    public async Task Any_writer_of_the_read_model_feeds_the_dashboards_including_transitions()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        // As the projection would: plain SQL from another connection, no server code involved.
        await fixture.ExecuteAsync("""
            INSERT INTO sensors (sensor_id, status, status_since, tags) VALUES ('proj-1', 'late', now(), '{site:a}');
            INSERT INTO state_changes (sensor_id, from_status, to_status, at, reason) VALUES ('proj-1', 'healthy', 'late', now(), 'missed 3 of 5');
            """);
        var delta = await socket.NextAsync("delta", d => d.GetProperty("transitions").GetArrayLength() > 0);

        var transition = delta.GetProperty("transitions")[0];
        Assert.Equal("proj-1", transition.GetProperty("sensorId").GetString());
        Assert.Equal("late", transition.GetProperty("to").GetString());
        Assert.Equal("missed 3 of 5", transition.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_statement_touching_many_rows_arrives_whole_through_chunked_notifications()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session, "text=bulk-");
        await socket.NextAsync("snapshot");

        // 600 ids of 120 characters: about 75 KB of ids, far over one 8000-byte payload.
        await fixture.ExecuteAsync("INSERT INTO sensors (sensor_id) SELECT 'bulk-' || lpad(g::text, 115, '0') FROM generate_series(1, 600) g");
        var seen = new HashSet<string>();
        while (seen.Count < 600)
        {
            var delta = await socket.NextAsync("delta");
            foreach (var row in delta.GetProperty("upserts").EnumerateArray())
            {
                seen.Add(row.GetProperty("id").GetString()!);
            }
        }

        Assert.Equal(600, seen.Count);
    }

    [Fact]
    public async Task Many_changes_of_one_sensor_arrive_as_few_batches_with_the_latest_row()
    {
        await fixture.ExecuteAsync("INSERT INTO sensors (sensor_id) VALUES ('busy-1')");
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session, "text=busy-");
        await socket.NextAsync("snapshot");

        var started = DateTime.UtcNow;
        for (var i = 0; i < 200; i++)
        {
            await fixture.ExecuteAsync("UPDATE sensors SET heartbeat_count = heartbeat_count + 1 WHERE sensor_id = 'busy-1'");
        }

        var elapsed = DateTime.UtcNow - started;
        var deltas = 0;
        while (true)
        {
            var delta = await socket.NextAsync("delta", d => HasUpsert(d, "busy-1"));
            deltas++;
            if (delta.GetProperty("upserts")[0].GetProperty("count").GetInt64() == 200)
            {
                break;
            }
        }

        // One batch per 100 ms period at most (plus one at each edge), whatever the 200 updates' rate.
        Assert.InRange(deltas, 1, 2 + (int)(elapsed.TotalMilliseconds / 100) + 1);
    }

    [Fact]
    public async Task A_subscription_gets_a_fresh_filtered_snapshot_and_removes_for_sensors_that_leave_it()
    {
        await fixture.ExecuteAsync("INSERT INTO sensors (sensor_id, status, tags) VALUES ('sub-a', 'healthy', '{site:x}'), ('sub-b', 'late', '{site:x}'), ('sub-c', 'late', '{site:y}')");
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        await socket.SendAsync("""{"type":"subscribe","filter":{"state":"late","tag":"site:x"}}""");
        var snapshot = await socket.NextAsync("snapshot", s => s.GetProperty("reason").GetString() == "subscribe");
        Assert.Equal(["sub-b"], snapshot.GetProperty("sensors").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(1, snapshot.GetProperty("matched").GetInt64());

        await fixture.ExecuteAsync("UPDATE sensors SET status = 'healthy' WHERE sensor_id = 'sub-b'");
        var delta = await socket.NextAsync("delta", d => d.GetProperty("removes").EnumerateArray().Any(r => r.GetString() == "sub-b"));
        Assert.DoesNotContain("sub-b", delta.GetProperty("upserts").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Watching_a_sensor_sends_its_full_view_and_its_changes()
    {
        await fixture.ExecuteAsync("INSERT INTO sensors (sensor_id, interval_seconds) VALUES ('watch-1', 30)");
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session, "text=watch-");
        await socket.NextAsync("snapshot");

        await socket.SendAsync("""{"type":"watch","sensorId":"watch-1"}""");
        var first = await socket.NextAsync("sensor");
        await fixture.ExecuteAsync("UPDATE sensors SET lost_beats = 4 WHERE sensor_id = 'watch-1'");
        var changed = await socket.NextAsync("sensor", s => s.GetProperty("sensor").GetProperty("lostBeats").GetInt64() == 4);

        Assert.Equal(30, first.GetProperty("sensor").GetProperty("intervalSeconds").GetDouble());
        Assert.Equal("watch-1", changed.GetProperty("sensorId").GetString());
    }

    [Fact]
    public async Task Bad_messages_get_errors_and_the_connection_stays_open()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        await socket.SendAsync("{not json");
        Assert.Equal("bad-json", (await socket.NextAsync("error")).GetProperty("code").GetString());
        await socket.SendAsync("""{"type":"format-disk"}""");
        Assert.Equal("unknown-type", (await socket.NextAsync("error")).GetProperty("code").GetString());
        await socket.SendAsync("""{"type":"subscribe","filter":{"state":"'; DROP TABLE sensors; --"}}""");
        Assert.Equal("bad-filter", (await socket.NextAsync("error")).GetProperty("code").GetString());
        await socket.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Assert.Equal("binary", (await socket.NextAsync("error")).GetProperty("code").GetString());

        await socket.SendAsync("""{"type":"ping","id":"still-here"}""");
        Assert.Equal("still-here", (await socket.NextAsync("pong")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_connection_ends_with_1008_once_its_session_is_signed_out_and_others_stay_open()
    {
        var session = await _server.SessionAsAsync("viewer");
        await using var ending = await LiveSocket.ConnectAsync(_server.BaseAddress, session);
        await using var staying = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await ending.NextAsync("snapshot");
        await staying.NextAsync("snapshot");

        // Signed out by another client of the same session (another tab, or the session's owner elsewhere).
        using var elsewhere = _server.CreateClient(session: session);
        using var signedOut = await elsewhere.PostAsync("/api/v1/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ending.ClosedAsync());
        Assert.StartsWith("session ended", ending.CloseDescription, StringComparison.Ordinal);
        await staying.SendAsync("""{"type":"ping","id":"still-signed-in"}""");
        Assert.Equal("still-signed-in", (await staying.NextAsync("pong")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_connection_ends_once_its_operator_is_disabled()
    {
        var session = await _server.SessionAsAsync("viewer");
        using var me = _server.CreateClient(session: session);
        var name = (await me.GetFromJsonAsync<JsonElement>("/api/v1/auth/me")).GetProperty("user").GetString();
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, session);
        await socket.NextAsync("snapshot");

        var admin = await _server.AdminClientAsync();
        using var disabled = await admin.PatchAsJsonAsync($"/api/v1/operators/{name}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ClosedAsync());
    }

    [Fact]
    public async Task An_oversized_frame_closes_the_connection_with_1009()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        await socket.SendAsync($$"""{"type":"ping","id":"{{new string('x', 10_000)}}"}""");

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await socket.ClosedAsync());
    }

    [Fact]
    public async Task A_flood_of_invalid_messages_closes_the_connection_with_1008()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        for (var i = 0; i < 30 && socket.State == WebSocketState.Open; i++)
        {
            try
            {
                await socket.SendAsync("nonsense");
            }
            catch (WebSocketException)
            {
                break;
            }
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.ClosedAsync());
    }

    [Fact]
    public async Task Bad_upgrades_are_refused_before_the_handshake()
    {
        using var plain = await fixture.Viewer.GetAsync("/ws");
        using var badFilter = await fixture.Viewer.GetAsync("/ws?state=sleepy");
        var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        foreign.Options.SetRequestHeader("Cookie", $"{ServerProcess.SessionCookieName}={_session}");
        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            foreign.ConnectAsync(new UriBuilder(_server.BaseAddress) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_feed_connection_is_cut_clients_hear_it_and_get_a_fresh_snapshot_when_it_returns()
    {
        await using var socket = await LiveSocket.ConnectAsync(_server.BaseAddress, _session);
        await socket.NextAsync("snapshot");

        // As a PostgreSQL restart looks to the listener: its backend goes away.
        await fixture.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{ChangeFeedListener.ApplicationName}' AND datname = current_database()");

        Assert.Equal("interrupted", (await socket.NextAsync("feed")).GetProperty("state").GetString());
        Assert.Equal("live", (await socket.NextAsync("feed", within: TimeSpan.FromSeconds(20))).GetProperty("state").GetString());
        var resync = await socket.NextAsync("snapshot", s => s.GetProperty("reason").GetString() == "resync");
        Assert.True(resync.GetProperty("live").GetBoolean());

        using var post = await fixture.Sensors.PostAsync("/api/v1/heartbeats/after-resync-1", null);
        await socket.NextAsync("delta", d => HasUpsert(d, "after-resync-1"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-session")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_websocket_without_a_valid_session_is_refused_with_401_before_the_upgrade(string? session)
    {
        var error = await Assert.ThrowsAsync<WebSocketException>(() => LiveSocket.ConnectAsync(_server.BaseAddress, session));
        using var plain = await _server.CreateClient(session: session).GetAsync("/ws");

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
    }
}
