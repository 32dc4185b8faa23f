using System.Globalization;
using System.Threading.RateLimiting;
using FleetHealth.Server.Ingestion;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.IngestKeys;

/// <summary>
/// 429 for an ingest key over its rate: ASP.NET Core's rate limiter, one token bucket per key
/// (<c>Ingest:RateLimit</c>). It runs after authorization, so only requests with a valid key reach
/// it and nobody without the key can drain its bucket. A request is one permit, a batch included
/// (its items are bounded by <c>Ingest:MaxBatchItems</c>). Buckets are per node.
/// </summary>
internal static class IngestRateLimiting
{
    public const string Policy = "ingest-key";

    public static void AddIngestRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<IngestOptions>>((o, ingest) =>
        {
            var limit = ingest.Value.RateLimit;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, context => context.User.FindFirst(IngestKeyClaims.KeyId)?.Value is { } keyId
                ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limit.Burst,
                    TokensPerPeriod = limit.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    // The partitioned limiter refills every bucket from one timer: no timer per key.
                    AutoReplenishment = false,
                })
                : RateLimitPartition.GetNoLimiter(""));
            o.OnRejected = (rejected, _) =>
            {
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(TypedResults.Problem(
                    $"This ingest key is over its rate limit ({limit.PermitsPerSecond} requests/s, bursts of {limit.Burst}); retry in {seconds} s.",
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Rate limit").ExecuteAsync(rejected.HttpContext));
            };
        });
    }
}
