using Npgsql;

namespace FleetHealth.Server.ReadModel;

/// <summary>Creates the coming days' heartbeat partitions and drops those past retention (SQL functions of 0003).</summary>
public sealed class HeartbeatPartitions(NpgsqlDataSource dataSource)
{
    public async Task<(int Created, int Dropped)> MaintainAsync(DateOnly today, ReadModelOptions options, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One node at a time: two nodes creating the same partition would collide on its name.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('fleethealth.partitions'))", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var ensure = new NpgsqlCommand("SELECT fleethealth_ensure_heartbeat_partitions($1, $2)", connection, transaction);
        ensure.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = today.AddDays(-1) });
        ensure.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.PartitionsAhead + 2 });
        var created = (int)(await ensure.ExecuteScalarAsync(cancellationToken))!;

        await using var drop = new NpgsqlCommand("SELECT fleethealth_drop_heartbeat_partitions($1)", connection, transaction);
        drop.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = options.FirstKeptDay(today) });
        var dropped = (int)(await drop.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return (created, dropped);
    }
}
