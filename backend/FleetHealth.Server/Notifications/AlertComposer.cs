using System.Text;
using System.Text.Json;
using FleetHealth.Domain.Notifications;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// Sends a due group: composes its message (<see cref="NotificationPayload"/>: counts per state,
/// the first sensors, a dashboard link) and queues one delivery per channel of its rule, in the
/// grouper's transaction; then moves the group on (resolved members go; closed when none fires).
/// </summary>
internal sealed class AlertComposer(IOptions<NotificationOptions> options)
{
    private static readonly string[] Order = [TransitionKinds.Dead, TransitionKinds.Stale, TransitionKinds.Late, TransitionKinds.Fault, TransitionKinds.Retired, TransitionKinds.Recovered];

    public async Task FlushAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AlertGroupStore store, (OpenGroup Group, GroupingRule Rule) due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (group, rule) = due;
        var members = await store.ReadGroupMembersAsync(group.Id, cancellationToken);
        var firing = members.Count(m => m.Firing);
        if (members.Count == 0 || (firing == 0 && !members.Any(m => m.Changed)))
        {
            // Everyone recovered inside the group wait: nothing to say.
            await store.AfterSendAsync(group.Id, close: true, now, now, cancellationToken);
            return;
        }

        var id = Guid.CreateVersion7(now);
        var payload = Compose(id, rule, group.Id, members, now);
        var json = JsonSerializer.Serialize(payload, NotificationJsonContext.Default.NotificationPayload);
        await DeliveryStore.EnqueueAsync(connection, transaction, id, rule.Id, group.Id, json, now, cancellationToken);
        await store.AfterSendAsync(group.Id, close: firing == 0, now, now + rule.RepeatInterval, cancellationToken);
    }

    internal NotificationPayload Compose(Guid id, GroupingRule rule, long groupId, IReadOnlyList<AlertMember> members, DateTimeOffset now)
    {
        var settings = options.Value;
        var counts = members.GroupBy(m => m.Status).OrderBy(g => Array.IndexOf(Order, g.Key)).ToDictionary(g => g.Key, g => g.Count());
        var repeat = !members.Any(m => m.Changed);
        var firing = members.Any(m => m.Firing);
        var listed = members
            .OrderByDescending(m => m.Changed)
            .ThenBy(m => Array.IndexOf(Order, m.Status))
            .ThenBy(m => m.SensorId, StringComparer.Ordinal)
            .Take(settings.MaxSensorsListed)
            .Select(m => new PayloadSensor(m.SensorId, m.Status, m.Since, m.Changed))
            .ToList();
        var summary = new StringBuilder(firing ? repeat ? "[FIRING, unchanged] " : "[FIRING] " : "[RESOLVED] ")
            .Append(rule.Name)
            .Append(rule.Tag is null ? "" : $" (tag {rule.Tag})")
            .Append(": ")
            .Append(string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}")))
            .ToString();
        return new NotificationPayload(
            1, "alert", id, firing ? "firing" : "resolved", repeat, summary, new PayloadRule(rule.Id, rule.Name, rule.Tag), groupId, now,
            counts, listed, members.Count - listed.Count, Link(settings.DashboardUrl, rule.Tag, members));
    }

    private static string? Link(string? dashboard, string? tag, IReadOnlyList<AlertMember> members)
    {
        if (string.IsNullOrEmpty(dashboard))
        {
            return null;
        }

        var root = dashboard.TrimEnd('/');
        return members.Count == 1 ? $"{root}/sensors/{Uri.EscapeDataString(members[0].SensorId)}"
            : tag is not null ? $"{root}/?tag={Uri.EscapeDataString(tag)}"
            : $"{root}/";
    }
}
