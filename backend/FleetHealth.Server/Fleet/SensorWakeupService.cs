using FleetHealth.Server.Storage;
using Npgsql;

namespace FleetHealth.Server.Fleet;

/// <summary>
/// At start, brings every sensor that still has a deadline back into memory, so that its timer
/// runs again: sensors the read model shows alive, plus any in journal events the projection has
/// not applied yet. Dead and retired sensors stay asleep until they are heard from.
/// </summary>
internal sealed partial class SensorWakeupService(
    NpgsqlDataSource dataSource,
    SensorFleet fleet,
    DatabaseReadiness readiness,
    ILogger<SensorWakeupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        // Deadlines are armed under the rules in force: wait until the tag settings are in.
        await fleet.Policy.Loaded.WaitAsync(stoppingToken);
        var woken = 0;
        await using var command = dataSource.CreateCommand($"""
            SELECT '{SensorFleet.IdPrefix}' || sensor_id FROM sensors WHERE status NOT IN ('dead', 'retired')
            UNION
            SELECT DISTINCT persistence_id FROM journal
            WHERE ordering > coalesce((SELECT "offset" FROM projection_offsets WHERE projection = '{ReadModelProjectionName.Value}'), 0)
              AND starts_with(persistence_id, '{SensorFleet.IdPrefix}')
            """);
        await using var reader = await command.ExecuteReaderAsync(stoppingToken);
        while (await reader.ReadAsync(stoppingToken))
        {
            fleet.Sensor(reader.GetString(0));
            woken++;
        }

        LogWoken(woken);
    }

    [LoggerMessage(LogLevel.Information, "Woke {Count} sensors to re-arm their deadlines")]
    private partial void LogWoken(int count);
}

/// <summary>The read-model projection's name in projection_offsets.</summary>
internal static class ReadModelProjectionName
{
    public const string Value = "read-model";
}
