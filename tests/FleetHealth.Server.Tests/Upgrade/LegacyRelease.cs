using System.Net;
using System.Net.Http.Json;
using FleetHealth.Actors;
using FleetHealth.Actors.Persistence.Postgres;
using FleetHealth.Actors.TestKit;
using FleetHealth.Database;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Sensors;
using FleetHealth.Server.Sharding;
using FleetHealth.Server.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>
/// The previous release (the server on the home-made runtime, in memory, on a virtual clock) filling
/// a database whose schema stops just before the migration that carries its journal into Akka's:
/// three days of heartbeats from six sensors with provisioning, settings with tags, lost beats,
/// silence (late, stale, dead by its timers), a retirement, a retirement undone, snapshots every 10
/// events and a compaction of everything behind them that retention no longer needs. It needs the
/// home-made runtime; <see cref="PreviousReleaseFleet"/> keeps a frozen copy of what it writes.
/// </summary>
internal static class LegacyRelease
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Liveness:SnapshotEvery"] = Invariant(PreviousReleaseFleet.SnapshotEvery),
        ["Liveness:DefaultIntervalSeconds"] = Invariant(PreviousReleaseFleet.Rules.DefaultInterval.TotalSeconds),
        ["Liveness:DefaultGraceSeconds"] = Invariant(PreviousReleaseFleet.Rules.DefaultGrace.TotalSeconds),
        ["Liveness:DeadAfterSeconds"] = Invariant(PreviousReleaseFleet.Rules.DeadAfter.TotalSeconds),
        ["ReadModel:HeartbeatRetentionDays"] = "1",
        ["Compaction:Enabled"] = "false", // batches are run here, after the last heartbeat
        ["Compaction:StreamsPerBatch"] = "10",
        ["Compaction:EventsPerStream"] = "500",
    };

    /// <summary>Runs the scenario on <paramref name="connectionString"/> (migrated by the server itself to <paramref name="schema"/>).</summary>
    public static async Task<LegacyFleet> FillAsync(string connectionString, NpgsqlDataSource db, IReadOnlyList<Migration> schema)
    {
        var clock = new VirtualClock(T0);
        var server = new VirtualClockServer(connectionString, clock, Settings, FleetEngine.Legacy, services => services.AddSingleton(sp =>
            new Migrator(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<ILogger<Migrator>>())));
        try
        {
            await server.StartAsync();
            await DriveAsync(server);
            await server.CaughtUpAsync(db);
            var compacted = await CompactAllAsync(server.Services.GetRequiredService<JournalCompaction>());
            await server.QuiesceAsync();

            var fleet = server.Services.GetRequiredService<SensorFleet>();
            var rules = fleet.Policy.Current;
            Assert.Empty(rules.Tags);
            Assert.Equal(PreviousReleaseFleet.Rules with { Tags = rules.Tags }, rules);
            var states = new Dictionary<string, SensorState>(StringComparer.Ordinal);
            var highest = new Dictionary<string, long>(StringComparer.Ordinal);
            await using var journal = new PostgresJournal(db);
            foreach (var id in PreviousReleaseFleet.Sensors)
            {
                states[id] = Assert.IsType<SensorState>(await fleet.Sensor(SensorFleet.IdPrefix + id).Ask(new GetSensorState(), Ask));
                highest[id] = await journal.ReadHighestSequenceNrAsync(SensorFleet.IdPrefix + id);
            }

            await using var offset = db.CreateCommand($"SELECT \"offset\" FROM projection_offsets WHERE projection = '{ReadModelProjectionName.Value}'");
            return new LegacyFleet(states, highest, clock.GetUtcNow(), (long)(await offset.ExecuteScalarAsync())!, compacted);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task DriveAsync(VirtualClockServer server)
    {
        var client = server.Client;
        foreach (var id in new[] { "up-tuned", "up-fresh", "up-back" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/sensors/{id}/register", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/api/v1/sensors/up-tuned/settings", new SensorSettingsBody(900, 120, ["roof", "site-a"]))).StatusCode);
        var retireAt = T0.AddDays(2).AddMinutes(1);
        var reactivateAt = T0.AddDays(2).AddHours(12).AddMinutes(1);
        var end = T0.AddDays(3).AddMinutes(7);
        long sequence = 0;
        for (var at = T0.AddMinutes(1); at < end; at = at.AddMinutes(30))
        {
            await server.AdvanceToAsync(at);
            sequence += at.Minute == 31 && at.Hour % 5 == 0 ? 3 : 1; // now and then two beats lost
            var beats = new List<BatchItem> { new("up-steady", sequence), new("up-tuned", sequence) };
            if (at <= retireAt)
            {
                beats.Add(new BatchItem("up-retired", sequence));
            }

            if (at < T0.AddDays(1))
            {
                beats.Add(new BatchItem("up-silent", sequence));
            }

            if (at <= retireAt || at > reactivateAt)
            {
                beats.Add(new BatchItem("up-back", sequence));
            }

            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/heartbeats", beats)).StatusCode);
            if (at == retireAt)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/sensors/up-retired/retire", null)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/sensors/up-back/retire", null)).StatusCode);
            }

            if (at == reactivateAt)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/sensors/up-back/reactivate", null)).StatusCode);
            }
        }

        await server.AdvanceToAsync(end);
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs compaction batches until three in a row delete nothing; returns the events deleted.</summary>
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
}
