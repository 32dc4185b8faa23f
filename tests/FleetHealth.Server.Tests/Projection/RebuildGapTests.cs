using FleetHealth.Actors.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.Projection;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>A rebuild that passes a hole whose write is still committing must not lose that event.</summary>
public sealed class RebuildGapTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private static readonly EventSerializer Serializer = SensorEventSerialization.Register(new EventSerializer());

    [Fact]
    public async Task A_write_still_committing_during_a_rebuild_is_applied_once_it_commits()
    {
        var journal = new JournalReader(db.DataSource, Serializer);
        var writer = new ReadModelWriter(db.DataSource);
        await using var slow = await db.DataSource.OpenConnectionAsync();
        await using var slowTx = await slow.BeginTransactionAsync();
        var held = await InsertAsync(slow, slowTx, "rebuild-slow");
        await using (var fast = await db.DataSource.OpenConnectionAsync())
        {
            await InsertAsync(fast, null, "rebuild-fast");
        }

        var rebuiltTo = await writer.RebuildAsync("read-model", journal, new SensorSnapshots(Serializer), 1000, TimeSpan.FromHours(1), DateTimeOffset.MinValue, CancellationToken.None);
        await slowTx.CommitAsync();
        var late = await journal.ReadInGapsAsync("read-model", 100, CancellationToken.None);
        await writer.ApplyLateAsync("read-model", rebuiltTo, late, CancellationToken.None);

        Assert.Equal([held], late.Select(e => e.Ordering));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id = 'rebuild-slow'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM projection_gaps"));
        Assert.Empty(await journal.ReadInGapsAsync("read-model", 100, CancellationToken.None));
    }

    private static async Task<long> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sensor)
    {
        var beat = new HeartbeatRecorded(DateTimeOffset.UtcNow, 1, null, ReportedStatus.Ok, null, null, null, null, false, 0, 0, false);
        var payload = Serializer.Serialize(beat, out var manifest);
        await using var command = new NpgsqlCommand(
            "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload) VALUES ($1, 1, $2, $3) RETURNING ordering", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SensorFleet.IdPrefix + sensor });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = manifest });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
