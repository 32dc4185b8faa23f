using System.Net;
using System.Net.Http.Json;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.TestKit;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Sharding;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Server.Tests.Truth;
using FleetHealth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>Journal compaction behind snapshots, then a rebuild of the read model, through the real server on a virtual clock.</summary>
public sealed class CompactionTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly EventSerializer Serializer = SensorEventSerialization.Register(new EventSerializer());
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Liveness:SnapshotEvery"] = "10",
        ["ReadModel:HeartbeatRetentionDays"] = "1",
        ["Compaction:Enabled"] = "false", // batches are run by the test
        ["Compaction:StreamsPerBatch"] = "2",
        ["Compaction:EventsPerStream"] = "50",
    };

    // The home-made journal's compaction: the legacy engine's, whatever engine the run asks for.
    private const FleetEngine Engine = FleetEngine.Legacy;

    [Fact]
    public async Task Compaction_then_a_rebuild_gives_the_same_sensors_heartbeats_within_retention_and_transitions()
    {
        var clock = new VirtualClock(T0);
        var server = await new VirtualClockServer(db.ConnectionString, clock, Settings, Engine).StartAsync();
        try
        {
            var client = server.Client;
            await client.PostAsync("/api/v1/sensors/cp-2/register", null);
            await client.PutAsJsonAsync("/api/v1/sensors/cp-2/settings", new SensorSettingsBody(1800, 300, ["cp"]));
            var end = T0.AddDays(3).AddMinutes(7);
            long sequence = 0;
            for (var at = T0.AddMinutes(1); at < end; at = at.AddMinutes(30))
            {
                await server.AdvanceToAsync(at);
                sequence += at.Minute == 31 && at.Hour % 5 == 0 ? 3 : 1; // some lost beats
                var beats = new List<BatchItem> { new("cp-1", sequence), new("cp-2", sequence), new("cp-4", sequence) };
                if (at < T0.AddDays(2))
                {
                    beats.Add(new BatchItem("cp-3", sequence));
                }

                Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/heartbeats", beats)).StatusCode);
                if (at == T0.AddDays(2).AddMinutes(1))
                {
                    Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/sensors/cp-3/retire", null)).StatusCode);
                }
            }

            await server.AdvanceToAsync(end);
            await server.CaughtUpAsync(db.DataSource);
            var keptFrom = server.Services.GetRequiredService<HeartbeatRetention>().KeptFrom();
            Assert.Equal(new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero), keptFrom);
            var before = await TablesAsync(keptFrom);
            var highest = await HighestSequenceNumbersAsync();
            var journalBefore = await CountAsync("SELECT count(*) FROM journal");

            // A transition row from before migration 0009 (no sequence number) keeps compaction off its sensor.
            await ExecuteAsync("INSERT INTO state_changes (sensor_id, from_status, to_status, at) VALUES ('cp-1', 'healthy', 'late', '2026-02-01T00:00:00Z')");
            const string Cp1Events = "SELECT count(*) FROM journal WHERE persistence_id = 'sensor/cp-1'";
            var cp1Before = await CountAsync(Cp1Events);
            var compaction = server.Services.GetRequiredService<JournalCompaction>();
            var deleted = await CompactAllAsync(compaction);
            Assert.Equal(cp1Before, await CountAsync(Cp1Events));
            Assert.Equal(0, await CountAsync("SELECT count(*) FROM journal_deletions WHERE persistence_id = 'sensor/cp-1'"));
            Assert.Equal(3, await CountAsync("SELECT count(*) FROM journal_deletions"));
            await ExecuteAsync("DELETE FROM state_changes WHERE sequence_nr IS NULL");
            deleted += await CompactAllAsync(compaction);

            Assert.True(deleted > journalBefore / 3, $"{deleted} of {journalBefore} events deleted");
            Assert.Equal(journalBefore - deleted, await CountAsync("SELECT count(*) FROM journal"));
            Assert.Equal(highest, await HighestSequenceNumbersAsync());
            var remaining = await JournalEventsAsync();
            Assert.All(remaining.GroupBy(e => e.Stream), s => Assert.True(s.First().Event is HeartbeatRecorded beat && beat.At < keptFrom, $"{s.Key} starts with the last beat before retention"));
            Assert.Equal(await CountAsync($"SELECT count(*) FROM heartbeats WHERE received_at >= '{keptFrom:O}'"),
                remaining.Count(e => e.Event is HeartbeatRecorded beat && beat.At >= keptFrom));

            await server.Services.GetRequiredService<ReadModelWriter>().RebuildAsync(
                "read-model", server.Services.GetRequiredService<JournalReader>(), server.Services.GetRequiredService<SensorSnapshots>(), 100, TimeSpan.FromHours(1), keptFrom, CancellationToken.None);

            Assert.Equal(before, await TablesAsync(keptFrom));

            // The actors still recover (from their snapshots) and carry on after a restart.
            var sensor = (await client.GetFromJsonAsync<SensorView>("/api/v1/sensors/cp-1"))!;
            await server.QuiesceAsync();
            await server.DisposeAsync();
            server = await new VirtualClockServer(db.ConnectionString, clock, Settings, Engine).StartAsync();
            Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsJsonAsync("/api/v1/heartbeats/cp-1", new HeartbeatBody(sequence + 1))).StatusCode);
            var after = (await server.Client.GetFromJsonAsync<SensorView>("/api/v1/sensors/cp-1"))!;
            Assert.Equal((sensor.HeartbeatCount + 1, sensor.LostBeats, sensor.FirstSeen), (after.HeartbeatCount, after.LostBeats, after.FirstSeen));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Runs batches until a whole round (two pages of two streams) deletes nothing.</summary>
    private static async Task<long> CompactAllAsync(JournalCompaction compaction)
    {
        long deleted = 0;
        for (var (batch, idle) = (0, 0); batch < 200 && idle < 3; batch++)
        {
            var (_, count) = await compaction.CompactBatchAsync(CancellationToken.None);
            deleted += count;
            idle = count == 0 ? idle + 1 : 0;
        }

        return deleted;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> TablesAsync(DateTimeOffset keptFrom)
    {
        await using var command = db.DataSource.CreateCommand(ReadModelTables.Snapshot.Replace("FROM heartbeats)", "FROM heartbeats WHERE received_at >= $1)", StringComparison.Ordinal));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = keptFrom });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<Dictionary<string, long>> HighestSequenceNumbersAsync()
    {
        var journal = new Actors.Persistence.Postgres.PostgresJournal(db.DataSource);
        await using (journal)
        {
            var highest = new Dictionary<string, long>();
            foreach (var id in new[] { "cp-1", "cp-2", "cp-3", "cp-4" })
            {
                highest[id] = await journal.ReadHighestSequenceNrAsync(SensorFleet.IdPrefix + id);
            }

            return highest;
        }
    }

    private async Task<List<(string Stream, SensorEvent Event)>> JournalEventsAsync()
    {
        var events = new List<(string, SensorEvent)>();
        await using var command = db.DataSource.CreateCommand("SELECT persistence_id, manifest, payload FROM journal ORDER BY persistence_id, sequence_nr");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetString(0), (SensorEvent)Serializer.Deserialize(reader.GetString(1), reader.GetFieldValue<byte[]>(2))));
        }

        return events;
    }
}
