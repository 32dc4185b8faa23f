using FleetHealth.Server.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Turns the outbox into messages, as Alertmanager groups alerts: per rule, one open group whose
/// members are the sensors in trouble. A group is first sent a group wait after it opened, then
/// at most every group interval while it changes, and every repeat interval while nothing changes
/// and a sensor is still in trouble; it closes once none is. Any node may run it; a transaction-level
/// advisory lock keeps it to one at a time. "Now" is the injected clock (virtual in tests); the
/// polling between rounds is real time.
/// </summary>
internal sealed partial class AlertGrouper(
    NpgsqlDataSource dataSource,
    AlertComposer composer,
    DatabaseReadiness readiness,
    StorageOutageLog outages,
    IOptions<NotificationOptions> options,
    TimeProvider clock,
    ILogger<AlertGrouper> logger) : BackgroundService
{
    private const long LockKey = 0x46484E4F_54494659; // "FHNOTIFY"
    private const int MaxRowsPerRound = 20_000;
    private const int MaxFlushesPerRound = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await readiness.Migrated.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await RunOnceAsync(stoppingToken);
                outages.Succeeded();
            }
            catch (NpgsqlException e) when (!stoppingToken.IsCancellationRequested)
            {
                // An outage is logged once by the outage log, with counts; anything else here.
                if (!outages.Failed("alert grouping rounds failed", e))
                {
                    LogFailed(e);
                }
            }

            if (!more)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), stoppingToken);
            }
        }
    }

    /// <summary>One round: groups waiting outbox rows, then sends the groups that are due. True when work is left over.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey });
            if (!(bool)(await lockCommand.ExecuteScalarAsync(cancellationToken))!)
            {
                return false; // another node is grouping
            }
        }

        var now = clock.GetUtcNow();
        var groups = new AlertGroupStore(connection, transaction);
        var pending = await groups.ReadPendingAsync(now, MaxRowsPerRound, cancellationToken);
        if (pending.Count > 0)
        {
            await GroupAsync(groups, pending, now, cancellationToken);
        }

        var due = await groups.ReadDueAsync(now, MaxFlushesPerRound, cancellationToken);
        foreach (var group in due)
        {
            await composer.FlushAsync(connection, transaction, groups, group, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return pending.Count == MaxRowsPerRound || due.Count == MaxFlushesPerRound;
    }

    private static async Task GroupAsync(AlertGroupStore store, List<OutboxRow> pending, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = await store.ReadRulesAsync([.. pending.Select(p => p.RuleId).Distinct()], cancellationToken);
        var open = await store.ReadOpenGroupsAsync([.. rules.Keys], cancellationToken);
        var members = await store.ReadMembersAsync([.. open.Values.Select(g => g.Id)], [.. pending.Select(p => p.SensorId).Distinct()], cancellationToken);
        var changed = new Dictionary<(long GroupId, string SensorId), Domain.Notifications.AlertMember?>();
        var touched = new HashSet<long>();
        foreach (var row in pending)
        {
            if (row.Muted || !rules.TryGetValue(row.RuleId, out var rule))
            {
                continue;
            }

            open.TryGetValue(rule.Id, out var group);
            var key = (group?.Id ?? 0, row.SensorId);
            var member = group is null ? null
                : changed.TryGetValue(key, out var pendingChange) ? pendingChange
                : members.GetValueOrDefault(key);
            var next = Domain.Notifications.AlertMembership.Apply(member, row.SensorId, row.Kind, FromKind(row.FromStatus), row.At, rule.Transitions);
            if (ReferenceEquals(next, member))
            {
                continue;
            }

            if (group is null)
            {
                if (next is null)
                {
                    continue;
                }

                group = await store.OpenGroupAsync(rule.Id, now, now + rule.GroupWait, cancellationToken);
                open[rule.Id] = group;
                key = (group.Id, row.SensorId);
            }

            changed[key] = next;
            group.FlushAt = Domain.Notifications.AlertMembership.NextFlushAfterChange(group.FlushAt, group.LastSentAt, now, rule.GroupInterval);
            touched.Add(group.Id);
        }

        await store.WriteMembersAsync(changed, cancellationToken);
        await store.SetFlushTimesAsync([.. open.Values.Where(g => touched.Contains(g.Id))], cancellationToken);
        await store.MarkGroupedAsync([.. pending.Select(p => p.Id)], now, cancellationToken);
    }

    /// <summary>The transition kind of a status left (null: healthy, registered).</summary>
    private static string? FromKind(string status) => status is "late" or "stale" or "dead" or "fault" or "retired" ? status : null;

    [LoggerMessage(LogLevel.Warning, "Alert grouping failed; retrying")]
    private partial void LogFailed(Exception exception);
}
