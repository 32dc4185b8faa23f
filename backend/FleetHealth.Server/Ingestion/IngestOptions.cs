using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Ingestion;

/// <summary>Configuration section <c>Ingest</c>.</summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string Section = "Ingest";

    /// <summary>Largest accepted request body; larger bodies get 413 before they are read.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest accepted batch body (<c>POST /api/v1/heartbeats</c>).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>Most heartbeats in one batch.</summary>
    [Range(1, 100_000)]
    public int MaxBatchItems { get; set; } = 1000;

    /// <summary>
    /// Each node reloads the ingest keys at least this often, so a revoked key is refused everywhere
    /// within this many seconds even if the change notification was lost (normally it is at once).
    /// </summary>
    [Range(1, 3600)]
    public int KeyRefreshSeconds { get; set; } = 10;

    /// <summary>Requests per ingest key (<c>Ingest:RateLimit</c>).</summary>
    public IngestRateLimitOptions RateLimit { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(RateLimit, new ValidationContext(RateLimit), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"Ingest:RateLimit: {r.ErrorMessage}", [.. r.MemberNames.Select(m => $"{nameof(RateLimit)}.{m}")]));
    }
}

/// <summary>A token bucket per ingest key: <see cref="PermitsPerSecond"/> requests a second on average, bursts of <see cref="Burst"/>.</summary>
public sealed class IngestRateLimitOptions
{
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 1000;

    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 2000;
}
