using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Ingestion;

/// <summary>Configuration section <c>Ingest</c>.</summary>
public sealed class IngestOptions
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
}
