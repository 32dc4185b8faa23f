using FleetHealth.Fleet;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Wiring.Tests;

/// <summary>
/// The message extractor places sensors where the database looks for them: fleethealth_shard_of
/// (migration 0008) and the journal fence's inlinable copy of it, akka.sensor_shard (0016).
/// </summary>
public sealed class SensorShardTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task The_extractors_shard_of_every_sensor_is_the_one_both_database_functions_compute()
    {
        var extractor = new SensorMessageExtractor(WiringShards.Count);
        string[] ids = [.. Enumerable.Range(0, 2_000).Select(i => $"sensor-{i}"), "x", "Ä-ö", "日本-1", "a.b_c-D"];
        await using var command = database.DataSource.CreateCommand("SELECT id, fleethealth_shard_of(id, $2)::text, akka.sensor_shard(id, $2)::text FROM unnest($1::text[]) id");
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        command.Parameters.Add(new NpgsqlParameter { Value = WiringShards.Count });
        var checkedIds = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Assert.Equal(reader.GetString(1), extractor.ShardId(reader.GetString(0), null));
            Assert.Equal(reader.GetString(1), reader.GetString(2));
            checkedIds++;
        }

        Assert.Equal(ids.Length, checkedIds);
    }
}
