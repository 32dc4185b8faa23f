namespace FleetHealth.Database;

/// <summary>The named analytics queries shipped with this build (db/queries/*.sql, embedded).</summary>
public static class QuerySource
{
    private const string Prefix = "queries/";

    /// <summary>Query name (file name without .sql) → SQL text.</summary>
    public static IReadOnlyDictionary<string, string> Embedded { get; } = typeof(QuerySource).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .ToDictionary(n => n[Prefix.Length..^".sql".Length], n => EmbeddedText.Read(typeof(QuerySource).Assembly, n), StringComparer.Ordinal);
}
