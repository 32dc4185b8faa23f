using System.Security.Cryptography;
using System.Text;

namespace FleetHealth.Database;

/// <summary>One numbered plain-SQL file from db/migrations, e.g. <c>0003_heartbeats.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the file's text: a landed migration that was edited afterwards is refused at start.</summary>
    /// <remarks>Computed from <see cref="Sql"/> on each read, so a <c>with</c> copy never carries a stale hash.</remarks>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>Parses <c>NNNN_name.sql</c>; the number is the order of application.</summary>
    public static Migration FromFile(string fileName, string sql)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var underscore = stem.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(stem.AsSpan(0, underscore), out var version) || version <= 0)
        {
            throw new InvalidOperationException($"Migration file '{fileName}' must be named NNNN_description.sql with a positive number.");
        }

        return new Migration(version, stem[(underscore + 1)..], sql);
    }
}
