using FleetHealth.Server.Storage;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.ReadModel;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Turns the journal into the read model, in ordering order, exactly once: each batch and the new
/// offset commit together (see <see cref="ReadModelWriter"/>). One node at a time runs it, elected
/// by a session advisory lock that dies with its connection; the offset check in the writer is the
/// last guard should two ever overlap. The events come from an <see cref="IJournalFeed"/>, opened
/// from the stored offset each time this node starts leading (so after any failure too).
/// </summary>
internal sealed partial class ReadModelProjection(
    IJournalFeed feed,
    ReadModelWriter writer,
    NpgsqlDataSource dataSource,
    DatabaseReadiness readiness,
    HeartbeatRetention retention,
    IOptions<ProjectionOptions> options,
    TimeProvider clock,
    StorageOutageLog outages,
    ILogger<ReadModelProjection> logger) : BackgroundService
{
    private const long LeaderLockKey = 0x46485052_4F4A4543; // "FHPROJEC"

    private ProjectionStatus _status = new(false, 0, 0, 0, 0, null);

    public ProjectionStatus Status => _status;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var leadership = await dataSource.OpenConnectionAsync(stoppingToken);
                // After a round trip, not the open: a pooled connection opens without one, even when the database is gone.
                var leading = await TryLeadAsync(leadership, stoppingToken);
                outages.Succeeded();
                if (!leading)
                {
                    _status = _status with { Leader = false };
                    var stored = await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken);
                    await RefreshLagAsync(feed.LagAsync(stored, stoppingToken), stored, leader: false);
                    await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
                    continue;
                }

                await RunAsLeaderAsync(leadership, stoppingToken);
            }
            catch (ProjectionOffsetMovedException e) when (!stoppingToken.IsCancellationRequested)
            {
                // A rebuild (or, briefly, a second leader): start over from the offset as it is now.
                LogOffsetMoved(e.Message);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                _status = _status with { LastError = e.Message };
                if (!outages.Failed("read-model projection attempts failed", e))
                {
                    LogFailed(e);
                }

                await Task.Delay(backoff, clock, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <remarks>
    /// While batches follow each other the offset is not read back: the offset write's check
    /// catches anyone else moving it; when there is nothing to write it is read before each wait
    /// for the feed.
    /// </remarks>
    private async Task RunAsLeaderAsync(NpgsqlConnection leadership, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var cache = new SensorRowCache(settings.RowCacheCapacity);
        var lastLeaseCheck = clock.GetUtcNow();
        var offset = await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken);
        await using var cursor = feed.OpenAfter(offset);
        var wrote = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetUtcNow() - lastLeaseCheck > TimeSpan.FromSeconds(5))
            {
                // The lock lives as long as this connection; make sure it still does.
                await using var ping = new NpgsqlCommand("SELECT 1", leadership);
                await ping.ExecuteScalarAsync(stoppingToken);
                lastLeaseCheck = clock.GetUtcNow();
            }

            if (!wrote && await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken) != offset)
            {
                // Moved while this projection had nothing to write (a rebuild, an operator's rewind).
                throw new ProjectionOffsetMovedException(ReadModelProjectionName.Value, offset);
            }

            var batch = await cursor.NextAsync(settings.BatchSize, stoppingToken);
            wrote = batch.Kind == JournalBatchKind.Events;
            if (wrote)
            {
                await writer.ApplyAsync(ReadModelProjectionName.Value, offset, batch.Through, ReadModelWriter.Projectable(batch.Entries), stoppingToken, retention.KeptFrom(), cache);
                offset = batch.Through;
                _status = _status with { Offset = offset, LastError = null };
            }

            // The lag is what operators watch, so it is measured after every batch, not only once caught up.
            await RefreshLagAsync(cursor.LagAsync(offset, stoppingToken), offset, leader: true);
        }
    }

    private static async Task<bool> TryLeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LeaderLockKey });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task RefreshLagAsync(ValueTask<FeedLag> measuring, long offset, bool leader)
    {
        var (newest, oldest) = await measuring;
        var age = oldest is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalMilliseconds) : 0;
        _status = _status with
        {
            Leader = leader,
            Offset = offset,
            Newest = newest,
            LagEvents = Math.Max(0, newest - offset),
            OldestUnappliedAgeMs = age,
        };
    }

    [LoggerMessage(LogLevel.Warning, "Read-model projection failed; retrying")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(LogLevel.Information, "Read-model projection starts over: {Reason}")]
    private partial void LogOffsetMoved(string reason);
}
