using FleetHealth.Server.ReadModel;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.Analytics;

public sealed class HeartbeatPartitionTests(MigratedDatabase db) : IClassFixture<MigratedDatabase>
{
    private static readonly ReadModelOptions Options = new() { HeartbeatRetentionDays = 7, PartitionsAhead = 3 };

    [Fact]
    public async Task Partitions_are_made_ahead_and_whole_days_past_retention_are_dropped()
    {
        var partitions = new HeartbeatPartitions(db.DataSource);
        var day = new DateOnly(2026, 3, 1);
        await partitions.MaintainAsync(day, Options, CancellationToken.None);
        await InsertAsync(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        var later = day.AddDays(10);
        var (created, dropped) = await partitions.MaintainAsync(later, Options, CancellationToken.None);

        Assert.True(created > 0);
        Assert.True(dropped > 0);
        var names = await PartitionNamesAsync();
        Assert.Contains("heartbeats_20260314", names);
        Assert.DoesNotContain("heartbeats_20260301", names);
        Assert.Contains("heartbeats_20260304", names); // the last day inside retention
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM heartbeats"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM heartbeats_default"));
    }

    [Fact]
    public async Task Maintenance_is_idempotent()
    {
        var partitions = new HeartbeatPartitions(db.DataSource);
        var day = new DateOnly(2027, 5, 5);
        await partitions.MaintainAsync(day, Options, CancellationToken.None);

        Assert.Equal((0, 0), await partitions.MaintainAsync(day, Options, CancellationToken.None));
    }

    private async Task InsertAsync(DateTimeOffset at)
    {
        await using var command = db.DataSource.CreateCommand("INSERT INTO heartbeats (sensor_id, received_at) VALUES ('p-1', $1)");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> PartitionNamesAsync()
    {
        var names = new List<string>();
        await using var command = db.DataSource.CreateCommand("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'heartbeats'::regclass");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
