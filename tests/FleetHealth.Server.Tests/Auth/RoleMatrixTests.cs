using System.Net;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>Every group of the API against every role: 401 without a session, 403 below the group's role, served at or above it.</summary>
public sealed class RoleMatrixTests(FleetHealthFactory factory) : IClassFixture<FleetHealthFactory>
{
    private const string Anonymous = "anonymous";

    private static readonly string[] Ladder = [Anonymous, OperatorRoles.Viewer, OperatorRoles.Operator, OperatorRoles.Admin];

    /// <summary>One request per endpoint: method, path, body, and the least role that may make it.</summary>
    public static TheoryData<string, string, string?, string> Endpoints => new()
    {
        { "GET", "/api/v1/sensors", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/sensors/matrix-1", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/sensors/matrix-1/heartbeats", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/sensors/matrix-1/history", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/analytics", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/analytics/silent_share", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/status", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/cluster", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/live", null, OperatorRoles.Viewer },
        { "GET", "/ws", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/serial/ports", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/auth/me", null, OperatorRoles.Viewer },
        { "POST", "/api/v1/auth/password", "{}", OperatorRoles.Viewer },
        { "GET", "/api/v1/tags", null, OperatorRoles.Viewer },
        { "GET", "/api/v1/tags/matrix-tag", null, OperatorRoles.Viewer },
        { "PUT", "/api/v1/tags/matrix-tag/settings", "{\"intervalSeconds\": 0}", OperatorRoles.Operator },
        { "DELETE", "/api/v1/tags/matrix-tag/settings", null, OperatorRoles.Operator },
        { "PUT", "/api/v1/sensors/matrix-1/settings", "{\"intervalSeconds\": 0}", OperatorRoles.Operator },
        { "POST", "/api/v1/sensors/matrix-1/register", null, OperatorRoles.Operator },
        { "POST", "/api/v1/sensors/matrix-1/retire", null, OperatorRoles.Operator },
        { "POST", "/api/v1/sensors/matrix-1/reactivate", null, OperatorRoles.Operator },
        { "GET", "/api/v1/operators", null, OperatorRoles.Admin },
        { "POST", "/api/v1/operators", "{}", OperatorRoles.Admin },
        { "PATCH", "/api/v1/operators/nobody", "{}", OperatorRoles.Admin },
        { "GET", "/api/v1/ingest-keys", null, OperatorRoles.Admin },
        { "POST", "/api/v1/ingest-keys", "{}", OperatorRoles.Admin },
        { "POST", "/api/v1/ingest-keys/0123456789ab/revoke", null, OperatorRoles.Admin },
        { "GET", "/api/v1/notifications/channels", null, OperatorRoles.Admin },
        { "POST", "/api/v1/notifications/channels", "{}", OperatorRoles.Admin },
        { "GET", "/api/v1/notifications/channels/987654", null, OperatorRoles.Admin },
        { "PATCH", "/api/v1/notifications/channels/987654", "{}", OperatorRoles.Admin },
        { "DELETE", "/api/v1/notifications/channels/987654", null, OperatorRoles.Admin },
        { "POST", "/api/v1/notifications/channels/987654/test", null, OperatorRoles.Admin },
        { "GET", "/api/v1/notifications/rules", null, OperatorRoles.Operator },
        { "POST", "/api/v1/notifications/rules", "{}", OperatorRoles.Operator },
        { "PUT", "/api/v1/notifications/rules/987654", "{}", OperatorRoles.Operator },
        { "DELETE", "/api/v1/notifications/rules/987654", null, OperatorRoles.Operator },
        { "GET", "/api/v1/notifications/silences", null, OperatorRoles.Operator },
        { "POST", "/api/v1/notifications/silences", "{}", OperatorRoles.Operator },
        { "POST", "/api/v1/notifications/silences/987654/end", null, OperatorRoles.Operator },
        { "GET", "/api/v1/notifications/deliveries", null, OperatorRoles.Operator },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_role_gets_exactly_what_its_rank_allows(string method, string path, string? body, string least)
    {
        foreach (var role in Ladder)
        {
            using var client = role == Anonymous ? factory.CreateClient() : factory.CreateClientAs(role);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);

            if (role == Anonymous)
            {
                await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
                Assert.Null(response.Headers.Location);
            }
            else if (Array.IndexOf(Ladder, role) < Array.IndexOf(Ladder, least))
            {
                await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
            }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role}: {method} {path} answered {(int)response.StatusCode}");
            }
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/")]
    public async Task Health_and_the_dashboard_app_stay_anonymous(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_api_path_is_404_for_anyone()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/v1/nothing-here");

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public void Every_endpoint_names_a_policy_or_is_deliberately_anonymous()
    {
        // /metrics: no session, its own access rule (loopback or the metrics token; MetricsEndpointTests).
        string[] anonymous = ["/healthz", "/readyz", "/metrics", "/api/v1/auth/login", "/api/v1/auth/logout", "/api/{**path}", "/", "{*path:nonfile}"];
        string[] policies = [AccessPolicies.Viewer, AccessPolicies.Operator, AccessPolicies.Admin, AccessPolicies.Sensor];
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                Assert.Contains(pattern, anonymous);
                continue;
            }

            var named = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(named.Count > 0, $"{pattern} has no authorization");
            Assert.All(named, p => Assert.Contains(p, policies));
        }
    }
}
