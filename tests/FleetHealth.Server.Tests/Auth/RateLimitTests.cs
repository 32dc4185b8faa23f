using System.Net;
using FleetHealth.Server.Tests.Api;
using FleetHealth.Server.Tests.Hosting;

namespace FleetHealth.Server.Tests.Auth;

/// <summary>A tiny per-key budget: one request a second, bursts of three.</summary>
public sealed class RateLimitedFactory() : FleetHealthFactory(new Dictionary<string, string>
{
    ["Ingest:RateLimit:PermitsPerSecond"] = "1",
    ["Ingest:RateLimit:Burst"] = "3",
});

/// <summary>429 per ingest key from ASP.NET Core's rate limiter: one key's flood never limits another.</summary>
public sealed class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after_and_another_key_is_untouched()
    {
        using var flooding = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync());
        using var quiet = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync());

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await flooding.PostAsync("/api/v1/heartbeats/flood-1", null));
        }

        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.TooManyRequests, $"{a.StatusCode}"));
        Assert.True(limited[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 says when to retry");
        await ApiAssertions.AssertProblemAsync(limited[0], HttpStatusCode.TooManyRequests);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await quiet.PostAsync("/api/v1/heartbeats/quiet-1", null)).StatusCode);
        }

        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task Requests_without_a_valid_key_are_refused_before_they_can_spend_a_keys_budget()
    {
        var key = await factory.CreateIngestKeyAsync();
        // Same key id, wrong secret: refused by authentication, so the rate limiter never sees it.
        var forged = key[..^4] + (key.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var attacker = factory.CreateAuthenticatedClient(ingestKey: forged);
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.PostAsync("/api/v1/heartbeats/victim-1", null)).StatusCode);
        }

        using var owner = factory.CreateAuthenticatedClient(ingestKey: key);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsync("/api/v1/heartbeats/victim-1", null)).StatusCode);
        }
    }

    [Fact]
    public async Task A_batch_spends_one_permit_whatever_its_size()
    {
        using var gateway = factory.CreateAuthenticatedClient(ingestKey: await factory.CreateIngestKeyAsync());
        var batch = "[" + string.Join(",", Enumerable.Range(0, 50).Select(i => $"{{\"sensorId\": \"gw-batch-{i}\"}}")) + "]";

        for (var i = 0; i < 3; i++)
        {
            using var content = new StringContent(batch, System.Text.Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.Accepted, (await gateway.PostAsync("/api/v1/heartbeats", content)).StatusCode);
        }
    }
}
