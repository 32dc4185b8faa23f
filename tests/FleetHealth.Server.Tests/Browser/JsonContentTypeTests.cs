using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FleetHealth.Server.Auth;
using FleetHealth.Server.Tests.Api;

namespace FleetHealth.Server.Tests.Browser;

/// <summary>
/// Every endpoint that reads a JSON body refuses one that is not labelled application/json (415):
/// a page's <c>fetch(…, {mode: 'no-cors'})</c> or HTML form can send JSON-looking text, but only
/// without that label (or as text/plain), so this closes the way round CORS.
/// </summary>
public sealed class JsonContentTypeTests(BrowserSecurityFactory factory) : IClassFixture<BrowserSecurityFactory>
{
    public static TheoryData<string, string, string, string?> Bodies
    {
        get
        {
            var data = new TheoryData<string, string, string, string?>();
            (string Method, string Path, string Json)[] endpoints =
            [
                ("POST", "/api/v1/operators", "{\"user\": \"ct-admin\", \"role\": \"admin\"}"),
                ("PATCH", "/api/v1/operators/ct-nobody", "{\"disabled\": true}"),
                ("POST", "/api/v1/ingest-keys", "{\"name\": \"ct key\"}"),
                ("PUT", "/api/v1/sensors/ct-sensor/settings", "{\"intervalSeconds\": 5}"),
                ("PUT", "/api/v1/tags/ct-tag/settings", "{\"intervalSeconds\": 5}"),
                ("POST", "/api/v1/auth/login", "{\"user\": \"ct\", \"password\": \"ct\"}"),
                ("POST", "/api/v1/heartbeats/ct-sensor", "{\"battery\": 50}"),
                ("POST", "/api/v1/heartbeats", "[{\"sensorId\": \"ct-sensor\"}]"),
            ];
            foreach (var (method, path, json) in endpoints)
            {
                data.Add(method, path, json, null);
                data.Add(method, path, json, "text/plain");
                data.Add(method, path, json, "application/x-www-form-urlencoded");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_json_body_without_the_json_content_type_is_415(string method, string path, string json, string? contentType)
    {
        using var client = factory.CreateTrustedClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };

        using var response = await client.SendAsync(request);

        await ApiAssertions.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task The_same_body_labelled_json_is_read()
    {
        using var client = factory.CreateClientAs(OperatorRoles.Admin);
        using var content = new StringContent("{\"intervalSeconds\": 5}", Encoding.UTF8, "application/json");

        using var response = await client.PutAsync("/api/v1/tags/ct-tag/settings", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
