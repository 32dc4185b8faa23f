using System.Net;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.IngestKeys;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Browser;

/// <summary>
/// Cross-site request forgery, as curl replays it: a signed-in operator's cookie sent with a
/// foreign <c>Origin</c> (or a browser's <c>Sec-Fetch-Site</c> saying the request came from
/// elsewhere) never changes anything, for every method and for sign-in and sign-out; the
/// server's own origin, the configured one, and non-browser clients (neither header) are served;
/// sensors' ingest-key requests are not concerned.
/// </summary>
public sealed class CrossSiteRequestTests(BrowserSecurityFactory factory) : IClassFixture<BrowserSecurityFactory>
{
    /// <summary>Headers of a request that did not start on the server's own origin.</summary>
    public static TheoryData<string, string> ForeignHeaders => new()
    {
        { "Origin", "http://localhost:5173" },      // another port of the same host: same site, other origin
        { "Origin", "https://localhost" },          // another scheme
        { "Origin", "http://evil.example" },
        { "Origin", "null" },                       // sandboxed frames, file: pages, some redirects
        { "Sec-Fetch-Site", "cross-site" },         // no Origin at all, but a browser said where it came from
        { "Sec-Fetch-Site", "same-site" },
    };

    /// <summary>Every cookie-authenticated write: method, path, body (JSON) or null.</summary>
    public static TheoryData<string, string, string?> Writes => new()
    {
        { "POST", "/api/v1/operators", "{\"user\": \"csrf-admin\", \"role\": \"admin\", \"password\": \"forged passphrase 1\"}" },
        { "PATCH", "/api/v1/operators/csrf-target", "{\"disabled\": true}" },
        { "PUT", "/api/v1/sensors/csrf-sensor/settings", "{\"intervalSeconds\": 1}" },
        { "POST", "/api/v1/sensors/csrf-sensor/retire", null },
        { "POST", "/api/v1/sensors/csrf-sensor/reactivate", null },
        { "POST", "/api/v1/sensors/csrf-new/register", null },
        { "PUT", "/api/v1/tags/csrf-tag/settings", "{\"intervalSeconds\": 1}" },
        { "DELETE", "/api/v1/tags/csrf-tag/settings", null },
        { "POST", "/api/v1/ingest-keys", "{\"name\": \"forged\"}" },
        { "POST", "/api/v1/ingest-keys/{key}/revoke", null },
        { "POST", "/api/v1/auth/logout", null },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_cookie_authenticated_write_from_another_origin_is_refused_and_changes_nothing(string method, string path, string? body)
    {
        using var admin = factory.CreateClientAs(OperatorRoles.Admin);
        var state = await SnapshotAsync(admin);
        path = path.Replace("{key}", state.KeyId, StringComparison.Ordinal);

        foreach (var (header, value) in ForeignHeaders.Select(row => ((string)row[0], (string)row[1])))
        {
            using var request = Request(method, path, body);
            request.Headers.Add(header, value);

            using var response = await admin.SendAsync(request);

            var problem = await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal("Cross-origin request refused", problem.GetProperty("title").GetString());
        }

        Assert.Equal(state, await SnapshotAsync(admin));
    }

    [Theory]
    [MemberData(nameof(ForeignHeaders))]
    public async Task Signing_in_from_another_origin_is_refused(string header, string value)
    {
        using var client = factory.CreateClient();
        using var request = Request("POST", "/api/v1/auth/login", await LoginAsync());
        request.Headers.Add(header, value);

        using var response = await client.SendAsync(request);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Null(TestAccess.SessionToken(response));
    }

    [Theory]
    [InlineData("Origin", BrowserSecurityFactory.OwnOrigin)]
    [InlineData("Origin", "HTTP://LOCALHOST:80")]
    [InlineData("Origin", BrowserSecurityFactory.AllowedOrigin)]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData(null, null)]
    public async Task Writes_from_the_servers_own_or_an_allowed_origin_or_a_non_browser_client_are_served(string? header, string? value)
    {
        using var admin = factory.CreateClientAs(OperatorRoles.Admin);
        using var anonymous = factory.CreateClient();
        using var put = Request("PUT", "/api/v1/tags/csrf-allowed/settings", "{\"intervalSeconds\": 60}");
        using var post = Request("POST", "/api/v1/sensors/csrf-allowed/register", null);
        using var login = Request("POST", "/api/v1/auth/login", await LoginAsync());
        if (header is not null)
        {
            put.Headers.Add(header, value);
            post.Headers.Add(header, value);
            login.Headers.Add(header, value);
        }

        using var putResponse = await admin.SendAsync(put);
        using var postResponse = await admin.SendAsync(post);
        using var loginResponse = await anonymous.SendAsync(login);

        Assert.Equal(HttpStatusCode.OK, putResponse.StatusCode);
        Assert.True(postResponse.IsSuccessStatusCode, $"register answered {(int)postResponse.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, loginResponse.StatusCode);
    }

    [Fact]
    public async Task Reads_are_not_concerned_by_the_origin()
    {
        using var admin = factory.CreateClientAs(OperatorRoles.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_sensors_heartbeat_is_accepted_whatever_its_origin()
    {
        using var sensor = factory.CreateIngestClient();
        using var request = Request("POST", "/api/v1/heartbeats/csrf-beat", "{\"battery\": 50}");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await sensor.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("https://localhost", false)]            // same host and port, other scheme
    [InlineData("http://localhost:5173", false)]
    [InlineData(BrowserSecurityFactory.OwnOrigin, true)]
    [InlineData(BrowserSecurityFactory.AllowedOrigin, true)]
    public async Task The_live_feed_opens_only_for_trusted_origins(string origin, bool opens)
    {
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            request.Headers.Origin = origin;
            request.Headers.Cookie = $"{SessionCookie.Name}={factory.SessionOf(OperatorRoles.Viewer)}";
        };
        var uri = new Uri(factory.Server.BaseAddress, "/ws");

        if (opens)
        {
            using var socket = await client.ConnectAsync(uri, CancellationToken.None);
            Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        }
        else
        {
            var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => client.ConnectAsync(uri, CancellationToken.None));
            Assert.Contains("403", refused.Message, StringComparison.Ordinal);
        }
    }

    private static HttpRequestMessage Request(string method, string path, string? json) => new(new HttpMethod(method), path)
    {
        Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
    };

    /// <summary>The sign-in body of a new viewer.</summary>
    private async Task<string> LoginAsync() =>
        $"{{\"user\": \"{await factory.CreateOperatorAsync(OperatorRoles.Viewer)}\", \"password\": \"{TestAccess.Password}\"}}";

    /// <summary>What a forged write could change: operators, keys, the target sensor, the tag, the admin's session.</summary>
    private async Task<Snapshot> SnapshotAsync(HttpClient admin)
    {
        await EnsureTargetsAsync(admin);
        var operators = (await admin.GetFromJsonAsync<OperatorList>("/api/v1/operators"))!.Items;
        var keys = (await admin.GetFromJsonAsync<IngestKeyList>("/api/v1/ingest-keys"))!.Items;
        var sensor = (await admin.GetFromJsonAsync<SensorView>("/api/v1/sensors/csrf-sensor"))!;
        using var registered = await admin.GetAsync("/api/v1/sensors/csrf-new");
        var tag = await admin.GetStringAsync("/api/v1/tags/csrf-tag");
        using var me = await admin.GetAsync("/api/v1/auth/me");
        var target = keys.First(k => k.Name == "csrf-target");
        return new Snapshot(
            string.Join(",", operators.OrderBy(o => o.User).Select(o => $"{o.User}:{o.Role}:{o.DisabledAt is null}")),
            string.Join(",", keys.OrderBy(k => k.KeyId).Select(k => $"{k.KeyId}:{k.RevokedAt is null}")),
            target.KeyId, $"{sensor.Status}:{sensor.IntervalSeconds}", (int)registered.StatusCode, tag, (int)me.StatusCode);
    }

    /// <summary>The targets of the forged writes, made once with the same admin's session (no Origin: a non-browser client).</summary>
    private async Task EnsureTargetsAsync(HttpClient admin)
    {
        if ((await admin.GetFromJsonAsync<IngestKeyList>("/api/v1/ingest-keys"))!.Items.Any(k => k.Name == "csrf-target"))
        {
            return;
        }

        using var sensor = factory.CreateIngestClient();
        (await sensor.PostAsync("/api/v1/heartbeats/csrf-sensor", null)).EnsureSuccessStatusCode();
        await Eventually.Until(
            async () => (await admin.GetAsync("/api/v1/sensors/csrf-sensor")).StatusCode, s => s == HttpStatusCode.OK, because: "the target sensor in the read model");
        (await admin.PostAsJsonAsync("/api/v1/ingest-keys", new NewIngestKeyBody("csrf-target", null))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/operators", new NewOperatorBody("csrf-target", OperatorRoles.Viewer, "target passphrase 1"))).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/v1/tags/csrf-tag/settings", new { intervalSeconds = 30 })).EnsureSuccessStatusCode();
    }

    private sealed record Snapshot(string Operators, string Keys, string KeyId, string Sensor, int Registered, string Tag, int Me);
}
