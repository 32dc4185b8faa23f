using System.Reflection;

namespace FleetHealth.Database;

/// <summary>The migrations shipped with this build (db/migrations/*.sql, embedded), in order.</summary>
public static class MigrationSource
{
    private const string Prefix = "migrations/";

    public static IReadOnlyList<Migration> Embedded { get; } = Load(typeof(MigrationSource).Assembly);

    /// <summary>Reads every embedded migration of <paramref name="assembly"/>; duplicate numbers are a build error in disguise, so they throw.</summary>
    public static IReadOnlyList<Migration> Load(Assembly assembly)
    {
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Migration.FromFile(n[Prefix.Length..], EmbeddedText.Read(assembly, n)))
            .OrderBy(m => m.Version)
            .ToList();
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two migrations share number {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }
}
