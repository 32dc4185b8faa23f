using Akka.Actor;
using Akka.Serialization;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// <see cref="AkkaJournalFeed"/> on its own: events persisted by Akka persistent actors into the Sql
/// journal on real PostgreSQL, read back through the read journal. The class's tests share one
/// database, so each looks only at its own streams.
/// </summary>
public sealed class AkkaJournalFeedTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_event_is_delivered_once_in_ordering_order_with_its_stream_sequence_number_and_decoded_event()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        var written = DateTimeOffset.UtcNow;
        // Five streams written at once, so their events interleave in the journal.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(async s =>
        {
            for (var i = 0; i < 40; i++)
            {
                await akka.WriteAsync($"once-{s}", Beat(i));
            }
        }));

        using var feed = Feed(akka);
        var delivered = await ReadAsync(feed, 0, "sensor/once-", 200);

        Assert.True(delivered.Zip(delivered.Skip(1), (a, b) => a.Ordering < b.Ordering).All(x => x), "orderings strictly increase");
        Assert.Equal(200, delivered.Select(e => (e.PersistenceId, e.SequenceNr)).Distinct().Count());
        foreach (var stream in delivered.GroupBy(e => e.PersistenceId))
        {
            Assert.Equal(Enumerable.Range(1, 40).Select(n => (long)n), stream.Select(e => e.SequenceNr));
            Assert.Equal(Enumerable.Range(0, 40).Select(i => (long?)i), stream.Select(e => Assert.IsType<HeartbeatRecorded>(e.Event).Sequence));
        }

        // The envelope's timestamp is the write time (ticks, UTC), which the lag is measured from.
        Assert.All(delivered, e => Assert.InRange(e.WrittenAt, written.AddSeconds(-5), DateTimeOffset.UtcNow));
        Assert.Equal("once-0", delivered.First(e => e.PersistenceId == "sensor/once-0").Projected!.SensorId);
    }

    [Fact]
    public async Task A_cursor_opened_at_a_stored_offset_delivers_exactly_the_events_after_it()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        for (var i = 0; i < 30; i++)
        {
            await akka.WriteAsync("resume-1", Beat(i));
        }

        using var feed = Feed(akka);
        var all = await ReadAsync(feed, 0, "sensor/resume-", 30);
        var stored = all[11].Ordering;

        var resumed = await ReadAsync(feed, stored, "sensor/resume-", 18);

        Assert.Equal(all.Skip(12).Select(e => (e.Ordering, e.SequenceNr)), resumed.Select(e => (e.Ordering, e.SequenceNr)));
    }

    [Fact]
    public async Task Other_streams_come_through_without_an_event_so_the_offset_passes_them()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        await akka.WriteStreamAsync("other/1", ["not a sensor's"]);
        await akka.WriteAsync("mixed-1", Beat(0));

        using var feed = Feed(akka);
        var delivered = await ReadAsync(feed, 0, "", int.MaxValue, until: e => e.PersistenceId == "sensor/mixed-1");

        var other = Assert.Single(delivered, e => e.PersistenceId == "other/1");
        Assert.Null(other.Event);
        Assert.Null(other.Projected);
        Assert.NotNull(Assert.Single(delivered, e => e.PersistenceId == "sensor/mixed-1").Projected);
    }

    [Fact]
    public async Task A_write_that_commits_after_later_ones_is_waited_for_and_delivered_in_its_place()
    {
        // A gap timeout long enough that the hole below is waited for, however slow the machine.
        await using var akka = new AkkaFeedSystem(db.ConnectionString, new AkkaJournalOptions { QueryGapTimeout = TimeSpan.FromSeconds(30) });
        await akka.WriteAsync("slow-0", Beat(0));
        using var feed = Feed(akka);
        var start = (await ReadAsync(feed, 0, "sensor/slow-0", 1))[0].Ordering;
        await using var cursor = feed.OpenAfter(start);

        // A journal write whose ordering is taken but not committed, as a slower write batch's is.
        await using var slow = await db.DataSource.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        var held = await InsertUncommittedAsync(slow, slowTx, akka, "sensor/slow-held", Beat(1));
        for (var i = 0; i < 3; i++)
        {
            await akka.WriteAsync("slow-after", Beat(i));
        }

        // The three later events are committed, but none comes while the hole before them is open.
        Assert.Equal(JournalBatchKind.Idle, (await cursor.NextAsync(100, CancellationToken.None)).Kind);

        await slowTx.CommitAsync();
        var delivered = new List<JournalEntry>();
        await Eventually.Until(
            async () =>
            {
                delivered.AddRange((await cursor.NextAsync(100, CancellationToken.None)).Entries);
                return delivered.Count;
            },
            n => n >= 4,
            TimeSpan.FromSeconds(20),
            "the held event and the three after it");

        Assert.Equal(["sensor/slow-held", "sensor/slow-after", "sensor/slow-after", "sensor/slow-after"], delivered.Select(e => e.PersistenceId));
        Assert.Equal(held, delivered[0].Ordering);
    }

    [Fact]
    public async Task A_new_sensors_first_heartbeat_is_one_write_whose_events_but_the_last_are_marked_as_continuing()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        var sensor = akka.System.ActorOf(SensorActor.Props("marks-1", FleetPolicy.Fixed(new LivenessPolicy()), autoRegister: true, snapshotEvery: 0, TimeProvider.System));
        var id = SensorId.TryParse("marks-1", out var parsed, out var error) ? parsed : throw new ArgumentException(error);
        foreach (var sequence in new long[] { 1, 2 })
        {
            Assert.Equal(IngestOutcome.Accepted, await sensor.Ask<IngestOutcome>(new SubmitHeartbeat(new Heartbeat(id, DateTimeOffset.UtcNow, sequence)), TimeSpan.FromSeconds(30)));
        }

        using var feed = Feed(akka);
        var delivered = await ReadAsync(feed, 0, "sensor/marks-1", 4);

        Assert.Equal([typeof(SensorRegistered), typeof(HeartbeatRecorded), typeof(StatusChanged), typeof(HeartbeatRecorded)], delivered.Select(e => e.Event!.GetType()));
        Assert.Equal([true, true, false, false], delivered.Select(e => e.ContinuesWrite));
    }

    [Fact]
    public async Task A_node_that_does_not_lead_reports_the_stored_offset_as_the_newest()
    {
        await using var akka = new AkkaFeedSystem(db.ConnectionString);
        using var feed = Feed(akka);

        Assert.Equal(new FeedLag(42, null), await feed.LagAsync(42, CancellationToken.None));
    }

    internal static HeartbeatRecorded Beat(int i) =>
        new(T0.AddSeconds(i), i, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false);

    private static AkkaJournalFeed Feed(AkkaFeedSystem akka) =>
        new(akka.System, Options.Create(new ProjectionOptions { BatchSize = 50 }), TimeProvider.System);

    /// <summary>Reads from a cursor opened after <paramref name="offset"/> until <paramref name="count"/> events of streams starting with <paramref name="prefix"/> came.</summary>
    private static async Task<List<JournalEntry>> ReadAsync(AkkaJournalFeed feed, long offset, string prefix, int count, Func<JournalEntry, bool>? until = null)
    {
        await using var cursor = feed.OpenAfter(offset);
        var seen = new List<JournalEntry>();
        var mine = new List<JournalEntry>();
        await Eventually.Until(
            async () =>
            {
                var batch = await cursor.NextAsync(50, CancellationToken.None);
                seen.AddRange(batch.Entries);
                mine.AddRange(batch.Entries.Where(e => e.PersistenceId.StartsWith(prefix, StringComparison.Ordinal)));
                return mine.Count;
            },
            n => n >= count || (until is not null && seen.Any(until)),
            TimeSpan.FromSeconds(20),
            $"{count} events of {prefix}*");
        return until is null ? mine : seen;
    }

    /// <summary>Inserts a journal row as the plugin writes it, inside <paramref name="transaction"/>; returns its ordering.</summary>
    private static async Task<long> InsertUncommittedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AkkaFeedSystem akka, string persistenceId, SensorEvent e)
    {
        var serializer = (SerializerWithStringManifest)akka.System.Serialization.FindSerializerFor(e);
        await using var command = new NpgsqlCommand("""
            INSERT INTO akka.event_journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid)
            VALUES ($1, false, $2, 1, $3, NULL, $4, $5, 'test') RETURNING ordering
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = DateTime.UtcNow.Ticks });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = persistenceId });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = serializer.ToBinary(e) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = serializer.Manifest(e) });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = serializer.Identifier });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
