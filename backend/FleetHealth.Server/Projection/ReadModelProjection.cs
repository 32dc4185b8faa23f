using FleetHealth.Actors.Persistence;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Turns the journal into the read model, in ordering order, exactly once: each batch and the new
/// offset commit together (see <see cref="ReadModelWriter"/>). One node at a time runs it, elected
/// by a session advisory lock that dies with its connection; the offset check in the writer is the
/// last guard should two ever overlap.
/// </summary>
internal sealed partial class ReadModelProjection(
    JournalReader journal,
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

    private ProjectionStatus _status = new(false, 0, 0, 0, 0, 0, 0, 0, null);
    private long _skippedGaps;
    private long _lateEvents;

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
                outages.Succeeded();
                if (!await TryLeadAsync(leadership, stoppingToken))
                {
                    _status = _status with { Leader = false };
                    await RefreshLagAsync(await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken), leader: false, stoppingToken);
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
    /// Each batch's journal read is started while the previous batch is still being written, so the
    /// database reads the next events while the server folds and writes the current ones (the two
    /// otherwise take turns, each idle half the time). While batches follow each other the offset
    /// is not read back: the offset write's check catches anyone else moving it; when there is
    /// nothing to write it is read before each poll.
    /// </remarks>
    private async Task RunAsLeaderAsync(NpgsqlConnection leadership, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var cache = new SensorRowCache(settings.RowCacheCapacity);
        DateTimeOffset? gapSeen = null;
        var lastLeaseCheck = clock.GetUtcNow();
        var lastGapCheck = DateTimeOffset.MinValue;
        var offset = await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken);
        Task<List<JournalEntry>>? readAhead = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (clock.GetUtcNow() - lastGapCheck >= TimeSpan.FromMilliseconds(settings.GapRecheckMilliseconds))
                {
                    await RecheckGapsAsync(settings, offset, cache, stoppingToken);
                    lastGapCheck = clock.GetUtcNow();
                }

                if (clock.GetUtcNow() - lastLeaseCheck > TimeSpan.FromSeconds(5))
                {
                    // The lock lives as long as this connection; make sure it still does.
                    await using var ping = new NpgsqlCommand("SELECT 1", leadership);
                    await ping.ExecuteScalarAsync(stoppingToken);
                    lastLeaseCheck = clock.GetUtcNow();
                }

                if (readAhead is null && await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken) != offset)
                {
                    // Moved while this projection had nothing to write (a rebuild, an operator's rewind).
                    throw new ProjectionOffsetMovedException(ReadModelProjectionName.Value, offset);
                }

                var entries = await (readAhead ?? journal.ReadAfterAsync(offset, settings.BatchSize, stoppingToken));
                readAhead = null;
                var contiguous = 0;
                while (contiguous < entries.Count && entries[contiguous].Ordering == offset + 1 + contiguous)
                {
                    contiguous++;
                }

                if (contiguous > 0)
                {
                    gapSeen = null;
                    var batch = ReadModelWriter.Projectable(entries.Take(contiguous));
                    var newOffset = entries[contiguous - 1].Ordering;
                    readAhead = journal.ReadAfterAsync(newOffset, settings.BatchSize, stoppingToken);
                    await writer.ApplyAsync(ReadModelProjectionName.Value, offset, newOffset, batch, stoppingToken, retention.KeptFrom(), cache);
                    offset = newOffset;
                    _status = _status with { Offset = newOffset, LastError = null };
                    // The lag is what operators watch, so it is measured after every batch (one small
                    // query), not only once caught up.
                    await RefreshLagAsync(offset, leader: true, stoppingToken);
                    continue;
                }

                if (entries.Count > 0)
                {
                    gapSeen ??= clock.GetUtcNow();
                    if (clock.GetUtcNow() - gapSeen >= TimeSpan.FromMilliseconds(settings.GapTimeoutMilliseconds))
                    {
                        var skipTo = entries[0].Ordering - 1;
                        LogGapSkipped(offset + 1, skipTo);
                        await writer.SkipAsync(ReadModelProjectionName.Value, offset, skipTo, stoppingToken, cache);
                        _skippedGaps += skipTo - offset;
                        _status = _status with { Offset = skipTo, SkippedGaps = _skippedGaps, OpenGaps = _status.OpenGaps + (skipTo - offset) };
                        offset = skipTo;
                        gapSeen = null;
                        continue;
                    }
                }

                await RefreshLagAsync(offset, leader: true, stoppingToken);
                await Task.Delay(TimeSpan.FromMilliseconds(entries.Count == 0 ? settings.IdlePollMilliseconds : Math.Min(settings.IdlePollMilliseconds, 10)), clock, stoppingToken);
            }
        }
        finally
        {
            if (readAhead is not null)
            {
                // Leaving (a failed write, or shutdown): the read's outcome no longer matters, but it must not go unobserved.
                await readAhead.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Applies events whose passed-over orderings have appeared since, and forgets holes past their retention.</summary>
    private async Task RecheckGapsAsync(ProjectionOptions settings, long offset, SensorRowCache cache, CancellationToken stoppingToken)
    {
        var open = await writer.ExpireGapsAsync(ReadModelProjectionName.Value, settings.GapRetention, stoppingToken);
        while (open > 0)
        {
            var late = await journal.ReadInGapsAsync(ReadModelProjectionName.Value, settings.BatchSize, stoppingToken);
            if (late.Count == 0)
            {
                break;
            }

            await writer.ApplyLateAsync(ReadModelProjectionName.Value, offset, late, stoppingToken, cache);
            LogLateApplied(late.Count, late[0].Ordering, late[^1].Ordering);
            _lateEvents += late.Count;
            open -= late.Count;
        }

        _status = _status with { OpenGaps = open, LateEvents = _lateEvents };
    }

    private static async Task<bool> TryLeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LeaderLockKey });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task RefreshLagAsync(long offset, bool leader, CancellationToken cancellationToken)
    {
        var (newest, oldest) = await journal.LagAsync(offset, cancellationToken);
        var age = oldest is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalMilliseconds) : 0;
        _status = _status with
        {
            Leader = leader,
            Offset = offset,
            Newest = newest,
            LagEvents = Math.Max(0, newest - offset),
            OldestUnappliedAgeMs = age,
            SkippedGaps = _skippedGaps,
        };
    }

    [LoggerMessage(LogLevel.Warning, "Read-model projection failed; retrying")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(LogLevel.Information, "Read-model projection starts over: {Reason}")]
    private partial void LogOffsetMoved(string reason);

    [LoggerMessage(LogLevel.Information, "Journal orderings {From}..{To} did not appear in time (rolled back, or still committing); passed over and watched")]
    private partial void LogGapSkipped(long from, long to);

    [LoggerMessage(LogLevel.Information, "Applied {Count} journal events that committed after their orderings were passed over ({From}..{To})")]
    private partial void LogLateApplied(int count, long from, long to);
}
