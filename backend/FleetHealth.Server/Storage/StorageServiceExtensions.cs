using FleetHealth.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Storage;

internal static class StorageServiceExtensions
{
    public static void AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => IsParsable(o.ConnectionString), "Database:ConnectionString is not a valid Npgsql connection string.")
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString)
            {
                MaxPoolSize = options.MaxPoolSize,
                ApplicationName = "fleethealth",
                // Day boundaries in SQL (heartbeat partitions: 'day'::timestamptz) are UTC midnights,
                // as retention and compaction compute them, whatever the server's TimeZone.
                Timezone = "UTC",
            };
            return new NpgsqlDataSourceBuilder(connection.ConnectionString)
                .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
                .Build();
        });
        builder.Services.AddSingleton(sp => new Migrator(
            sp.GetRequiredService<NpgsqlDataSource>(), MigrationSource.Embedded, sp.GetRequiredService<ILogger<Migrator>>()));
        builder.Services.AddSingleton<DatabaseReadiness>();
        // One per node: every storage user reports its failures here, so an outage is logged once.
        builder.Services.AddSingleton(sp => new StorageOutageLog(
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("FleetHealth.Storage"), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService<MigrationService>();
        builder.Services.AddHostedService<ChangeFeedListener>();
    }

    private static bool IsParsable(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
