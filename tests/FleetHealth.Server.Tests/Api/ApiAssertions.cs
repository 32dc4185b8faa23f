using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace FleetHealth.Server.Tests.Api;

internal static class ApiAssertions
{
    /// <summary>Asserts a problem-details answer with <paramref name="status"/> and returns its JSON.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose errors name <paramref name="field"/>; returns that field's first message.</summary>
    public static async Task<string> AssertFieldErrorAsync(HttpResponseMessage response, string field)
    {
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"no error for '{field}' in {problem}");
        return messages[0].GetString()!;
    }
}
