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
/// each sensor). The copy keeps the upgrade tested now that the home-made runtime that wrote it is
/// gone: it was made by that release's server (in memory, on a virtual clock: three days of
/// heartbeats from six sensors with provisioning, tagged settings, lost beats, silence, a retirement,
/// a retirement undone, snapshots every 10 events and a compaction), as the test of commit 7eca616
/// ran it with FLEETHEALTH_FREEZE_UPGRADE_FIXTURE=1. Regenerate it from that commit, never by hand.
/// </summary>
internal static class PreviousReleaseFleet
{
    public const int SnapshotEvery = 10;

    public static readonly string[] Sensors = ["up-steady", "up-tuned", "up-retired", "up-silent", "up-fresh", "up-back"];

    /// <summary>The fleet's rules (the previous release configured with them; its Liveness defaults otherwise).</summary>
    public static readonly LivenessPolicy Rules = new()
    {
        DefaultInterval = TimeSpan.FromMinutes(30),
        DefaultGrace = TimeSpan.FromMinutes(5),
        DeadAfter = TimeSpan.FromDays(1),
    };

    private static readonly string Folder = RepoPaths.Combine("tests", "FleetHealth.Server.Tests", "Upgrade", "PreviousRelease");

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
}
