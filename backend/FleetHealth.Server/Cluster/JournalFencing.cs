using System.Globalization;
using FleetHealth.Actors.Persistence;
using FleetHealth.Actors.Persistence.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// The journal's batch precondition (<see cref="PostgresJournalOptions.BeforeBatch"/>): a write is
/// stored only while this node holds its shard's lease. First by this node's own monotonic clock
/// (<see cref="ShardLeases.IsWritable"/>), then in the batch's transaction against the lease rows,
/// locked <c>FOR KEY SHARE</c> until the commit: owner, incarnation and epoch must be this node's
/// grant and the lease unexpired by PostgreSQL's clock. A takeover or handoff locks those rows
/// <c>FOR UPDATE</c>, so it waits for (or skips past) an in-flight batch, and a batch that comes
/// after it sees the new epoch. Only the writes of shards that fail are refused; the rest of the
/// batch is written.
/// </summary>
internal sealed class JournalFencing(ShardLeases leases, ClusterNode node, ClusterOptions options, Func<string, string?> entityIdOf)
{
    private const string CheckSql = """
        SELECT l.shard FROM shard_leases l
        JOIN unnest($1::integer[], $2::bigint[]) AS held(shard, epoch) ON held.shard = l.shard AND held.epoch = l.epoch
        WHERE l.owner = $3 AND l.owner_incarnation = $4 AND l.expires_at > clock_timestamp()
        FOR KEY SHARE OF l
        """;

    // A writer cut off mid-transaction would hold its row locks and block a takeover for ever; with
    // these PostgreSQL ends such a transaction within one lease time.
    private readonly string[] _timeouts =
    [
        string.Create(CultureInfo.InvariantCulture, $"SET LOCAL statement_timeout = {(int)options.Lease.TotalMilliseconds}"),
        string.Create(CultureInfo.InvariantCulture, $"SET LOCAL idle_in_transaction_session_timeout = {(int)options.Lease.TotalMilliseconds}"),
    ];

    /// <summary>Writes refused by the last batches (diagnostics).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    public async ValueTask<IReadOnlyList<RefusedWrite>> CheckAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AtomicWrite> batch, CancellationToken cancellationToken)
    {
        var refused = new List<RefusedWrite>();
        var shardOf = new int[batch.Count];
        var held = new Dictionary<int, long>();
        for (var i = 0; i < batch.Count; i++)
        {
            shardOf[i] = -1;
            if (entityIdOf(batch[i].PersistenceId) is not { } entityId)
            {
                continue; // not a sharded entity
            }

            var shard = ShardId.Of(entityId, leases.Count);
            if (leases.IsWritable(shard, out var epoch))
            {
                shardOf[i] = shard;
                held[shard] = epoch;
            }
            else
            {
                refused.Add(new RefusedWrite(batch[i], new ShardNotHeldException(shard, "this node cannot prove its lease")));
            }
        }

        if (held.Count > 0)
        {
            var confirmed = await ConfirmAsync(connection, transaction, held, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                if (shardOf[i] >= 0 && !confirmed.Contains(shardOf[i]))
                {
                    refused.Add(new RefusedWrite(batch[i], new ShardNotHeldException(shardOf[i], "the lease in the database is no longer this node's")));
                }
            }
        }

        Interlocked.Add(ref _refused, refused.Count);
        return refused;
    }

    private async Task<HashSet<int>> ConfirmAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Dictionary<int, long> held, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var timeout in _timeouts)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(timeout));
        }

        var check = new NpgsqlBatchCommand(CheckSql);
        check.Parameters.Add(new NpgsqlParameter { Value = held.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        check.Parameters.Add(new NpgsqlParameter { Value = held.Values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        check.Parameters.Add(new NpgsqlParameter { Value = node.NodeId });
        check.Parameters.Add(new NpgsqlParameter { Value = node.Incarnation });
        batch.BatchCommands.Add(check);
        var confirmed = new HashSet<int>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            confirmed.Add(reader.GetInt32(0));
        }

        return confirmed;
    }
}

/// <summary>A write or message for a shard whose lease this node does not (provably) hold: it was not stored or not handled.</summary>
public sealed class ShardNotHeldException : Exception
{
    public ShardNotHeldException()
    {
    }

    public ShardNotHeldException(string message) : base(message)
    {
    }

    public ShardNotHeldException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public ShardNotHeldException(int shard, string why) : base($"Shard {shard} is not held by this node: {why}.")
    {
        Shard = shard;
    }

    public int Shard { get; }
}
