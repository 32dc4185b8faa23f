using System.Diagnostics;
using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Tests.Liveness;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

public sealed class RebuildTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private const string Snapshot = """
        SELECT 's' || string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s|%s|%s', sensor_id, status, status_since, first_seen, last_seen,
                                        heartbeat_count, tags, interval_count, round(interval_mean_seconds::numeric, 6), lost_beats), ';' ORDER BY sensor_id)
          || 'h' || (SELECT string_agg(format('%s|%s|%s|%s', sensor_id, received_at, sequence, interval_seconds), ';' ORDER BY sensor_id, received_at) FROM heartbeats)
          || 'c' || (SELECT string_agg(format('%s|%s|%s|%s', sensor_id, from_status, to_status, at), ';' ORDER BY sensor_id, at, to_status) FROM state_changes)
        FROM sensors
        """;

    [Fact]
    public async Task A_rebuild_from_the_journal_gives_identical_tables_and_the_command_line_runs_it()
    {
        var serializer = SensorEventSerialization.Register(new EventSerializer());
        var journal = new JournalReader(db.DataSource, serializer);
        var writer = new ReadModelWriter(db.DataSource);
        for (var s = 0; s < 5; s++)
        {
            // Recent, so that heartbeat retention (30 days by the real clock, as the command runs) keeps them.
            var t = new SensorTimeline(start: DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds()));
            for (var i = 0; i < 8; i++)
            {
                t.Beat(sequence: (i * 2) + (s % 2));
                t.Advance(TimeSpan.FromSeconds(45 + (i * s * 7)));
            }

            await WriteStreamAsync($"rb-{s}", t.Events, serializer);
        }

        // The incremental way, in small batches, as the running projection does.
        long offset = 0;
        for (var entries = await journal.ReadAfterAsync(0, 7, CancellationToken.None); entries.Count > 0; entries = await journal.ReadAfterAsync(offset, 7, CancellationToken.None))
        {
            var batch = entries.Select(e => e.Projected!).ToList();
            await writer.ApplyAsync("read-model", offset, entries[^1].Ordering, batch, CancellationToken.None);
            offset = entries[^1].Ordering;
        }

        var incremental = await SnapshotAsync();
        await db.DataSource.CreateCommand("UPDATE sensors SET heartbeat_count = heartbeat_count + 100").ExecuteNonQueryAsync(); // damage it

        var rebuiltTo = await writer.RebuildAsync("read-model", journal, new SensorSnapshots(serializer), 1000, TimeSpan.FromHours(1), DateTimeOffset.MinValue, CancellationToken.None);

        Assert.Equal(offset, rebuiltTo);
        Assert.Equal(incremental, await SnapshotAsync());

        await db.DataSource.CreateCommand("DELETE FROM heartbeats").ExecuteNonQueryAsync();
        var (code, output) = await RunServerCommandAsync("rebuild-read-model");
        Assert.True(code == 0, output);
        Assert.Contains($"up to ordering {offset}", output, StringComparison.Ordinal);
        Assert.Equal(incremental, await SnapshotAsync());
    }

    private async Task WriteStreamAsync(string sensor, IEnumerable<SensorEvent> events, EventSerializer serializer)
    {
        long sequence = 0;
        foreach (var e in events)
        {
            var payload = serializer.Serialize(e, out var manifest);
            await using var command = db.DataSource.CreateCommand("INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, $2, $3, $4)");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorFleet.IdPrefix + sensor });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = ++sequence });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = manifest });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> SnapshotAsync()
    {
        await using var command = db.DataSource.CreateCommand(Snapshot);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(int Code, string Output)> RunServerCommandAsync(string verb)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var bin = RepoPaths.Combine("backend", "FleetHealth.Server", "bin", testBin.Parent!.Name, testBin.Name);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(bin, "FleetHealth.Server.dll"), verb, "--contentRoot", bin])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Database__ConnectionString"] = db.ConnectionString;
        // This test writes the home-made journal: the command must read it whatever engine the run is on.
        start.Environment["Fleet__Engine"] = "Legacy";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
