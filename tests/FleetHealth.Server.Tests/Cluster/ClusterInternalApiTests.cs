using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using FleetHealth.Server.Cluster;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Cluster;

/// <summary>The internal endpoint other nodes forward to: its own HTTP/2 port, the cluster secret, and clear refusals of bad messages.</summary>
public sealed class ClusterInternalApiTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>, IDisposable
{
    private readonly HttpClient _internal = new() { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
    private readonly ClusterNode _node = factory.Services.GetRequiredService<ClusterNode>();

    [Fact]
    public async Task A_forwarded_heartbeat_is_answered_with_the_actor_s_reply_once_durable()
    {
        using var response = await SendAsync("internal-1", "sensor.submit-heartbeat", """{"heartbeat":{"sensorId":"internal-1","receivedAt":"2026-01-01T00:00:00Z","sequence":1}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sensor.ingest-outcome", response.Headers.GetValues(ClusterTransport.ManifestHeader).Single());
        Assert.Equal("\"Accepted\"", await response.Content.ReadAsStringAsync());
        var sensor = await factory.CreateTrustedClient().GetFromJsonAsync<SensorView>("/api/v1/sensors/internal-1");
        Assert.Equal(1, sensor!.HeartbeatCount);
    }

    [Fact]
    public async Task A_resident_only_read_of_a_sensor_not_in_memory_is_204()
    {
        using var response = await SendAsync("internal-absent", "sensor.get-state", "{}", residentOnly: true);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Without_the_cluster_secret_nothing_is_delivered(string? secret)
    {
        using var response = await SendAsync("internal-2", "sensor.register", "{}", secret: secret ?? "");

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateTrustedClient().GetAsync("/api/v1/sensors/internal-2")).StatusCode);
    }

    [Fact]
    public async Task The_public_port_does_not_serve_the_internal_endpoint()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/v1/entities/internal-3") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add(ClusterTransport.SecretHeader, _node.Secret);
        request.Headers.Add(ClusterTransport.ManifestHeader, "sensor.register");

        using var response = await factory.CreateClient().SendAsync(request);

        // 404, or 405 where the dashboard's fallback serves GETs on other paths: either way not delivered.
        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateTrustedClient().GetAsync("/api/v1/sensors/internal-3")).StatusCode);
    }

    [Fact]
    public async Task The_internal_port_speaks_only_http2()
    {
        using var http1 = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(await _node.Address, "internal/v1/entities/internal-4")) { Content = new StringContent("{}") };
        request.Headers.Add(ClusterTransport.SecretHeader, _node.Secret);

        using var response = await http1.SendAsync(request);

        Assert.False(response.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("bad id!", "sensor.register", "{}", "entityId")]
    [InlineData("internal-5", "", "{}", "manifest")]
    [InlineData("internal-5", "sensor.no-such-message", "{}", "payload")]
    [InlineData("internal-5", "sensor.submit-heartbeat", "{not json", "payload")]
    [InlineData("internal-5", "sensor.submit-heartbeat", """{"heartbeat":{"sensorId":"bad id!","receivedAt":"2026-01-01T00:00:00Z"}}""", "payload")]
    public async Task A_malformed_message_is_refused_naming_what_is_wrong(string entityId, string manifest, string payload, string field)
    {
        using var response = await SendAsync(entityId, manifest, payload);

        await ApiAssertions.AssertFieldErrorAsync(response, field);
    }

    [Fact]
    public async Task A_bad_deadline_is_refused()
    {
        using var response = await SendAsync("internal-6", "sensor.register", "{}", timeout: "soon");

        await ApiAssertions.AssertFieldErrorAsync(response, "timeout");
    }

    [Fact]
    public async Task An_oversized_message_is_413()
    {
        using var response = await SendAsync("internal-7", "sensor.register", new string(' ', ClusterInternalApi.MaxPayloadBytes + 1));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    public void Dispose() => _internal.Dispose();

    private async Task<HttpResponseMessage> SendAsync(string entityId, string manifest, string payload, bool residentOnly = false, string? secret = null, string timeout = "5000")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(await _node.Address, $"internal/v1/entities/{Uri.EscapeDataString(entityId)}"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(payload, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(ClusterTransport.SecretHeader, secret ?? _node.Secret);
        if (manifest.Length > 0)
        {
            request.Headers.Add(ClusterTransport.ManifestHeader, manifest);
        }

        request.Headers.Add(ClusterTransport.TimeoutHeader, timeout);
        if (residentOnly)
        {
            request.Headers.Add(ClusterTransport.ResidentOnlyHeader, "1");
        }

        return await _internal.SendAsync(request);
    }
}
