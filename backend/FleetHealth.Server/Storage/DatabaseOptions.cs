using System.ComponentModel.DataAnnotations;

namespace FleetHealth.Server.Storage;

/// <summary>Configuration section <c>Database</c> (env <c>Database__ConnectionString</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Username=fleethealth;Database=fleethealth</c>.</summary>
    [Required(ErrorMessage = "Database:ConnectionString is required (env Database__ConnectionString).")]
    public string ConnectionString { get; set; } = "";

    /// <summary>Largest connection pool of this node.</summary>
    [Range(2, 1000)]
    public int MaxPoolSize { get; set; } = 50;
}
