using FleetHealth.Fleet;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Sharding;

public sealed class SensorShardTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public void A_sensor_s_shard_is_the_first_four_bytes_of_the_sha256_of_its_id()
    {
        // sha256("sensor-1") = 75fcce45…: 0x75fcce45 = 1979502149.
        Assert.Equal((int)(1979502149L % 256), SensorShard.Of("sensor-1", 256));
        Assert.Equal((int)(1979502149L % 7), SensorShard.Of("sensor-1", 7));
        Assert.Equal(0, SensorShard.Of("anything", 1));
    }

    [Fact]
    public async Task The_database_computes_the_same_shard_for_every_id()
    {
        // Every length from 1 to 128 and every character of the id alphabet.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
        var ids = Enumerable.Range(0, 2000)
            .Select(i => new string([.. Enumerable.Range(0, 1 + (i % 128)).Select(j => alphabet[(i * 31 + j * 7) % alphabet.Length])]))
            .ToArray();
        await using var command = db.DataSource.CreateCommand("SELECT id, fleethealth_shard_of(id, 256), fleethealth_shard_of(id, 3) FROM unnest($1::text[]) AS id");
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        var checkedIds = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            Assert.Equal(SensorShard.Of(id, 256), reader.GetInt32(1));
            Assert.Equal(SensorShard.Of(id, 3), reader.GetInt32(2));
            checkedIds++;
        }

        Assert.Equal(ids.Length, checkedIds);
    }

    [Fact]
    public void Ids_spread_evenly_over_the_shards()
    {
        var counts = new int[256];
        for (var i = 0; i < 256_000; i++)
        {
            counts[SensorShard.Of($"sensor-{i}", 256)]++;
        }

        // 1000 expected per shard; a fair hash stays well within ±20 %.
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }
}
