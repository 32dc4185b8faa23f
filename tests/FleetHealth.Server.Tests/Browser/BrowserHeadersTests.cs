using System.Net;
using FleetHealth.Server.Auth;

namespace FleetHealth.Server.Tests.Browser;

/// <summary>
/// The headers that tell a browser how to treat the server's answers: no framing by anyone
/// (clickjacking), no content sniffing, no referrer, a strict content security policy for the
/// dashboard and none at all of the fleet's data kept in caches.
/// </summary>
public sealed class BrowserHeadersTests(BrowserSecurityFactory factory) : IClassFixture<BrowserSecurityFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/sensors/s-1")]
    public async Task The_dashboard_runs_under_a_strict_policy_and_cannot_be_framed(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertCommonHeaders(response);
        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Equal("'self'", csp["script-src"]);
        Assert.Equal("'self'", csp["style-src"]);
        Assert.StartsWith("'self'", csp["connect-src"], StringComparison.Ordinal);
        Assert.Contains("ws://localhost", csp["connect-src"], StringComparison.Ordinal);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'none'", csp["base-uri"]);
        Assert.Equal("'self'", csp["form-action"]);
        Assert.DoesNotContain("unsafe", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/sensors", OperatorRoles.Viewer, HttpStatusCode.OK)]
    [InlineData("/api/v1/operators", OperatorRoles.Admin, HttpStatusCode.OK)]
    [InlineData("/api/v1/status", OperatorRoles.Viewer, HttpStatusCode.OK)]
    [InlineData("/api/v1/operators", OperatorRoles.Viewer, HttpStatusCode.Forbidden)]
    [InlineData("/api/v1/nothing-here", OperatorRoles.Viewer, HttpStatusCode.NotFound)]
    public async Task Api_answers_are_never_cached_framed_or_sniffed(string path, string role, HttpStatusCode status)
    {
        using var client = factory.CreateClientAs(role);

        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
        var csp = Directives(response);
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
    }

    [Fact]
    public async Task An_unauthenticated_api_answer_carries_them_too()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/v1/sensors");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        AssertCommonHeaders(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    /// <summary>The Content-Security-Policy's directives by name (the value after the name).</summary>
    private static Dictionary<string, string> Directives(HttpResponseMessage response)
    {
        var policy = Header(response, "Content-Security-Policy");
        Assert.NotNull(policy);
        return policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");
    }
}
