using System.Text.Json;

namespace FleetHealth.Server.Live;

/// <summary>Reads the payloads that db/migrations/0004_change_feed.sql sends on <see cref="Channel"/>.</summary>
internal static class ChangeFeedPayload
{
    public const string Channel = "fleethealth_changes";

    /// <summary>The sensor ids and transitions of one notification; unknown or malformed payloads yield nothing.</summary>
    public static (List<string> SensorIds, List<LiveTransition> Transitions) Parse(string payload)
    {
        var ids = new List<string>();
        var transitions = new List<LiveTransition>();
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (ids, transitions);
            }

            if (root.TryGetProperty("sensors", out var sensors) && sensors.ValueKind == JsonValueKind.Array)
            {
                foreach (var id in sensors.EnumerateArray())
                {
                    if (id.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(id.GetString()!);
                    }
                }
            }

            if (root.TryGetProperty("transitions", out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    transitions.Add(new LiveTransition(
                        item.GetProperty("id").GetInt64(),
                        item.GetProperty("sensorId").GetString()!,
                        item.GetProperty("from").GetString()!,
                        item.GetProperty("to").GetString()!,
                        item.GetProperty("at").GetDateTimeOffset(),
                        item.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null));
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            // A payload from a newer or foreign writer: ignore what cannot be read.
        }

        return (ids, transitions);
    }
}
