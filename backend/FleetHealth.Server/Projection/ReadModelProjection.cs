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
                if (!await TryLeadAsync(leadership, stoppingToken))
                {
                    _status = _status with { Leader = false };
                    await RefreshLagAsync(await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken), leader: false, stoppingToken);
                    await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
                    continue;
                }

                await RunAsLeaderAsync(leadership, stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                _status = _status with { LastError = e.Message };
                LogFailed(e);
                await Task.Delay(backoff, clock, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task RunAsLeaderAsync(NpgsqlConnection leadership, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        DateTimeOffset? gapSeen = null;
        var lastLeaseCheck = clock.GetUtcNow();
        var lastGapCheck = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetUtcNow() - lastGapCheck >= TimeSpan.FromMilliseconds(settings.GapRecheckMilliseconds))
            {
                await RecheckGapsAsync(settings, stoppingToken);
                lastGapCheck = clock.GetUtcNow();
            }

            if (clock.GetUtcNow() - lastLeaseCheck > TimeSpan.FromSeconds(5))
            {
                // The lock lives as long as this connection; make sure it still does.
                await using var ping = new NpgsqlCommand("SELECT 1", leadership);
                await ping.ExecuteScalarAsync(stoppingToken);
                lastLeaseCheck = clock.GetUtcNow();
            }

            var offset = await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken);
            var entries = await journal.ReadAfterAsync(offset, settings.BatchSize, stoppingToken);
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
                await writer.ApplyAsync(ReadModelProjectionName.Value, offset, newOffset, batch, stoppingToken, retention.KeptFrom());
                _status = _status with { Offset = newOffset, LastError = null };
                if (contiguous == settings.BatchSize)
                {
                    // Behind by a full batch or more: the lag is what operators watch, so it is
                    // measured here too (one small query per batch), not only once caught up.
                    await RefreshLagAsync(newOffset, leader: true, stoppingToken);
                    continue;
                }
            }
            else if (entries.Count > 0)
            {
                gapSeen ??= clock.GetUtcNow();
                if (clock.GetUtcNow() - gapSeen >= TimeSpan.FromMilliseconds(settings.GapTimeoutMilliseconds))
                {
                    var skipTo = entries[0].Ordering - 1;
                    LogGapSkipped(offset + 1, skipTo);
                    await writer.SkipAsync(ReadModelProjectionName.Value, offset, skipTo, stoppingToken);
                    _skippedGaps += skipTo - offset;
                    _status = _status with { Offset = skipTo, SkippedGaps = _skippedGaps, OpenGaps = _status.OpenGaps + (skipTo - offset) };
                    gapSeen = null;
                    continue;
                }
            }

            await RefreshLagAsync(_status.Offset > offset ? _status.Offset : offset, leader: true, stoppingToken);
            if (contiguous == entries.Count)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(settings.IdlePollMilliseconds), clock, stoppingToken);
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(settings.IdlePollMilliseconds, 10)), clock, stoppingToken);
            }
        }
    }

    /// <summary>Applies events whose passed-over orderings have appeared since, and forgets holes past their retention.</summary>
    private async Task RecheckGapsAsync(ProjectionOptions settings, CancellationToken stoppingToken)
    {
        var open = await writer.ExpireGapsAsync(ReadModelProjectionName.Value, settings.GapRetention, stoppingToken);
        while (open > 0)
        {
            var late = await journal.ReadInGapsAsync(ReadModelProjectionName.Value, settings.BatchSize, stoppingToken);
            if (late.Count == 0)
            {
                break;
            }

            var offset = await writer.OffsetAsync(ReadModelProjectionName.Value, stoppingToken);
            await writer.ApplyLateAsync(ReadModelProjectionName.Value, offset, late, stoppingToken);
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

    [LoggerMessage(LogLevel.Information, "Journal orderings {From}..{To} did not appear in time (rolled back, or still committing); passed over and watched")]
    private partial void LogGapSkipped(long from, long to);

    [LoggerMessage(LogLevel.Information, "Applied {Count} journal events that committed after their orderings were passed over ({From}..{To})")]
    private partial void LogLateApplied(int count, long from, long to);
}
