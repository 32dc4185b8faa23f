using Akka.Configuration;
using Npgsql;

namespace FleetHealth.Server.Storage;

/// <summary>What the batched journal and snapshot store read from their plugin configuration.</summary>
internal static class BatchedReads
{
    /// <summary>A pool of the plugin's connection string, named <paramref name="applicationName"/> in pg_stat_activity.</summary>
    public static NpgsqlDataSource DataSource(Config pluginConfig, string applicationName) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(pluginConfig.GetString("connection-string")) { ApplicationName = applicationName }.ConnectionString);

    /// <summary>The plugin's table as a quoted <c>schema.table</c> (its <c>default</c> table mapping).</summary>
    public static string Table(Config pluginConfig, string tableKey, string fallback) =>
        $"{Quote(pluginConfig.GetString("default.schema-name", "public"))}.{Quote(pluginConfig.GetString("default." + tableKey, fallback))}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
