using System.Globalization;
using System.Text;
using System.Text.Json;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>What the previous release left in the database and showed of each sensor when it stopped.</summary>
internal sealed record LegacyFleet(
    IReadOnlyDictionary<string, SensorState> States,
    IReadOnlyDictionary<string, long> Highest,
    DateTimeOffset StoppedAt,
    long ProjectionOffset,
    long CompactedEvents);

/// <summary>
/// The fleet of the upgrade tests: its sensors and rules, and a frozen copy of what the previous
/// release wrote for it (PreviousRelease/fleet.sql: the rows of journal, snapshots,
/// journal_deletions and projection_offsets; PreviousRelease/fleet.json: what the release showed of
/// each sensor). The copy keeps the upgrade tested once the home-made runtime that wrote it is gone.
/// It is made by the test that runs the previous release (<see cref="LegacyRelease"/>) when
/// FLEETHEALTH_FREEZE_UPGRADE_FIXTURE=1.
/// </summary>
internal static class PreviousReleaseFleet
{
    public const int SnapshotEvery = 10;

    public const string FreezeVariable = "FLEETHEALTH_FREEZE_UPGRADE_FIXTURE";

    public static readonly string[] Sensors = ["up-steady", "up-tuned", "up-retired", "up-silent", "up-fresh", "up-back"];

    /// <summary>The fleet's rules (the previous release configured with them; its Liveness defaults otherwise).</summary>
    public static readonly LivenessPolicy Rules = new()
    {
        DefaultInterval = TimeSpan.FromMinutes(30),
        DefaultGrace = TimeSpan.FromMinutes(5),
        DeadAfter = TimeSpan.FromDays(1),
    };

    private static readonly string Folder = RepoPaths.Combine("tests", "FleetHealth.Server.Tests", "Upgrade", "PreviousRelease");

    /// <summary>Writes the frozen copy of <paramref name="db"/>'s journal tables and of <paramref name="fleet"/>.</summary>
    public static async Task FreezeAsync(NpgsqlDataSource db, LegacyFleet fleet)
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, "fleet.sql"), await DumpAsync(db));
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("stoppedAt", fleet.StoppedAt);
            writer.WriteNumber("projectionOffset", fleet.ProjectionOffset);
            writer.WriteNumber("compactedEvents", fleet.CompactedEvents);
            writer.WriteStartObject("sensors");
            foreach (var id in Sensors)
            {
                writer.WriteStartObject(id);
                writer.WriteNumber("highest", fleet.Highest[id]);
                writer.WritePropertyName("state");
                writer.WriteRawValue(JsonSerializer.Serialize(fleet.States[id], SensorEventJsonContext.Default.SensorState));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await File.WriteAllBytesAsync(Path.Combine(Folder, "fleet.json"), json.ToArray());
    }

    /// <summary>Loads the frozen copy into <paramref name="db"/> (migrated as the previous release had it) and returns what it showed.</summary>
    public static async Task<LegacyFleet> LoadAsync(NpgsqlDataSource db)
    {
        await using (var load = db.CreateCommand(await File.ReadAllTextAsync(Path.Combine(Folder, "fleet.sql"))))
        {
            await load.ExecuteNonQueryAsync();
        }

        using var json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Folder, "fleet.json")));
        var root = json.RootElement;
        var states = new Dictionary<string, SensorState>(StringComparer.Ordinal);
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var sensor in root.GetProperty("sensors").EnumerateObject())
        {
            highest[sensor.Name] = sensor.Value.GetProperty("highest").GetInt64();
            states[sensor.Name] = sensor.Value.GetProperty("state").Deserialize(SensorEventJsonContext.Default.SensorState)!;
        }

        return new LegacyFleet(states, highest, root.GetProperty("stoppedAt").GetDateTimeOffset(), root.GetProperty("projectionOffset").GetInt64(), root.GetProperty("compactedEvents").GetInt64());
    }

    /// <summary>The journal tables as INSERT statements (payloads as readable JSON), orderings and the identity's position included.</summary>
    private static async Task<string> DumpAsync(NpgsqlDataSource db)
    {
        var sql = new StringBuilder();
        sql.AppendLine("-- Written by the previous release (the home-made runtime) in UpgradeToAkkaJournalTests; regenerate, do not edit.");
        await AppendAsync(db, sql, "journal (ordering, persistence_id, sequence_nr, manifest, payload, tags, written_at) OVERRIDING SYSTEM VALUE", """
            SELECT format('(%s, %L, %s, %L, convert_to(%L, ''UTF8''), %L, %L)', ordering, persistence_id, sequence_nr, manifest, convert_from(payload, 'UTF8'), tags, written_at)
            FROM journal ORDER BY ordering
            """);
        var position = await ScalarAsync(db, "SELECT last_value FROM pg_sequences WHERE format('%I.%I', schemaname, sequencename)::regclass = pg_get_serial_sequence('journal', 'ordering')::regclass");
        sql.AppendLine(CultureInfo.InvariantCulture, $"SELECT setval(pg_get_serial_sequence('journal', 'ordering'), {position});");
        await AppendAsync(db, sql, "snapshots (persistence_id, sequence_nr, manifest, payload, created_at)", """
            SELECT format('(%L, %s, %L, convert_to(%L, ''UTF8''), %L)', persistence_id, sequence_nr, manifest, convert_from(payload, 'UTF8'), created_at)
            FROM snapshots ORDER BY persistence_id, sequence_nr
            """);
        await AppendAsync(db, sql, "journal_deletions (persistence_id, deleted_to)", """
            SELECT format('(%L, %s)', persistence_id, deleted_to) FROM journal_deletions ORDER BY persistence_id
            """);
        await AppendAsync(db, sql, "projection_offsets (projection, \"offset\", updated_at)", """
            SELECT format('(%L, %s, %L)', projection, "offset", updated_at) FROM projection_offsets ORDER BY projection
            """);
        return sql.ToString();
    }

    private static async Task AppendAsync(NpgsqlDataSource db, StringBuilder sql, string into, string rowsQuery)
    {
        var rows = new List<string>();
        await using (var command = db.CreateCommand(rowsQuery))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        if (rows.Count > 0)
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {into} VALUES");
            sql.AppendLine(string.Join(",\n", rows) + ";");
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource db, string query)
    {
        await using var command = db.CreateCommand(query);
        return await command.ExecuteScalarAsync();
    }
}
