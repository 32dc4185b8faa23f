using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Tests.Liveness;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// The same sensor histories written to both journals (the home-made runtime's <c>journal</c> table
/// and the Akka Sql journal) give the same read model, row for row, whichever feed the projection
/// reads: sensors rows with their state and statistics, heartbeat rows, transition rows.
/// </summary>
public sealed class AkkaFeedEquivalenceTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    /// <summary>Every column of every read-model row, in a fixed order (transitions without their identity column).</summary>
    private const string ReadModel = """
        SELECT coalesce((SELECT string_agg(to_jsonb(s)::text, E'\n' ORDER BY sensor_id) FROM sensors s), '')
            || E'\n--\n' || coalesce((SELECT string_agg(to_jsonb(h)::text, E'\n' ORDER BY sensor_id, received_at, sequence) FROM heartbeats h), '')
            || E'\n--\n' || coalesce((SELECT string_agg((to_jsonb(c) - 'id')::text, E'\n' ORDER BY sensor_id, at, sequence_nr) FROM state_changes c), '')
        """;

    [Fact]
    public async Task The_Akka_feed_gives_the_same_sensors_heartbeats_and_transitions_as_the_polled_journal()
    {
        var histories = Histories();
        // Round-robin over the sensors, one event at a time, so streams interleave in both journals.
        var order = Enumerable.Range(0, histories.Values.Max(h => h.Count))
            .SelectMany(i => histories.Where(h => i < h.Value.Count).Select(h => (Sensor: h.Key, Event: h.Value[i])))
            .ToList();
        Assert.Contains(order, e => e.Event is StatusChanged { To: LivenessStatus.Dead });

        var legacyHead = await WriteOldJournalAsync(order);
        await using (var legacy = await ProjectionRun.StartAsync(db.DataSource, (writer, options) =>
            new PolledJournalFeed(new JournalReader(db.DataSource, SensorEventSerialization.Register(new EventSerializer())), writer, options, TimeProvider.System)))
        {
            await legacy.ReachedAsync(legacyHead, "the polled projection applies the old journal");
        }

        var fromOldJournal = await ReadModelAsync();
        await ForgetReadModelAsync();

        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        foreach (var (sensor, e) in order)
        {
            await akka.WriteAsync(sensor, e);
            if (sensor == "eq-2")
            {
                // Another stream between the sensors': passed over, its ordering counted.
                await akka.WriteStreamAsync("other/eq", ["not a sensor's"]);
            }
        }

        await using (var running = await ProjectionRun.StartAsync(db.DataSource, (_, options) => new AkkaJournalFeed(akka.System, options, TimeProvider.System)))
        {
            await running.ReachedAsync(await ScalarAsync("SELECT max(ordering) FROM akka.event_journal"), "the Akka-fed projection applies the Akka journal");
        }

        var fromAkkaJournal = await ReadModelAsync();
        Assert.Equal(histories.Count, await ScalarAsync("SELECT count(*) FROM sensors"));
        Assert.Equal(fromOldJournal, fromAkkaJournal);
    }

    /// <summary>Sensor histories from the pure rules: beats, faults, lost and reset sequences, late/stale/dead, settings, retirement and return.</summary>
    private static Dictionary<string, List<SensorEvent>> Histories()
    {
        var start = SensorTimeline.T0;
        var regular = new SensorTimeline(start: start);
        for (var i = 0; i < 12; i++)
        {
            regular.Beat(sequence: i, sentAt: regular.Now.AddMilliseconds(-40));
            regular.Advance(TimeSpan.FromSeconds(55 + (i % 3)));
        }

        var silent = new SensorTimeline(start: start);
        silent.Beat(sequence: 1);
        silent.Advance(TimeSpan.FromMinutes(3));
        silent.Beat(sequence: 2);
        silent.Advance(TimeSpan.FromDays(8));
        silent.Beat(sequence: 3);

        var faulty = new SensorTimeline(start: start);
        for (var i = 0; i < 6; i++)
        {
            faulty.Beat(sequence: i, status: i is 2 or 3 ? ReportedStatus.Fault : ReportedStatus.Ok);
            faulty.Advance(TimeSpan.FromSeconds(60));
        }

        var lossy = new SensorTimeline(start: start);
        foreach (var sequence in new long[] { 1, 2, 5, 6, 4, 1, 2 })
        {
            lossy.Beat(sequence: sequence);
            lossy.Advance(TimeSpan.FromSeconds(50));
        }

        var operated = new SensorTimeline(start: start);
        operated.Register();
        operated.Beat(sequence: 1);
        operated.Settings(new SensorSettings(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(5), ["site:b", "bay"]));
        operated.Advance(TimeSpan.FromMinutes(1));
        operated.Retire();
        operated.Advance(TimeSpan.FromMinutes(5));
        operated.Reactivate();
        operated.Beat(sequence: 2);

        var registered = new SensorTimeline(start: start);
        registered.Register();

        return new Dictionary<string, List<SensorEvent>>(StringComparer.Ordinal)
        {
            ["eq-0"] = regular.Events,
            ["eq-1"] = silent.Events,
            ["eq-2"] = faulty.Events,
            ["eq-3"] = lossy.Events,
            ["eq-4"] = operated.Events,
            ["eq-5"] = registered.Events,
        };
    }

    /// <summary>Writes the events as the home-made runtime's journal writer would; returns the newest ordering.</summary>
    private async Task<long> WriteOldJournalAsync(List<(string Sensor, SensorEvent Event)> order)
    {
        var serializer = SensorEventSerialization.Register(new EventSerializer());
        var sequences = new Dictionary<string, long>(StringComparer.Ordinal);
        long head = 0;
        foreach (var (sensor, e) in order)
        {
            var payload = serializer.Serialize(e, out var manifest);
            sequences[sensor] = sequences.GetValueOrDefault(sensor) + 1;
            await using var command = db.DataSource.CreateCommand("INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, $2, $3, $4) RETURNING ordering");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorFleet.IdPrefix + sensor });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequences[sensor] });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = manifest });
            command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
            head = (long)(await command.ExecuteScalarAsync())!;
        }

        return head;
    }

    /// <summary>Empties the read model and its offset, as before a first start on the other journal.</summary>
    private async Task ForgetReadModelAsync()
    {
        await using var command = db.DataSource.CreateCommand("DELETE FROM heartbeats; DELETE FROM state_changes; DELETE FROM sensors; DELETE FROM projection_offsets; DELETE FROM projection_gaps;");
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> ReadModelAsync()
    {
        await using var command = db.DataSource.CreateCommand(ReadModel);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
