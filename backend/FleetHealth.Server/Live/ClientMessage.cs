using System.Text.Json;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Server.Live;

/// <summary>A message from a websocket client, validated.</summary>
internal abstract record ClientMessage
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 4, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses one text message; anything malformed becomes an <see cref="InvalidClientMessage"/> naming the problem.</summary>
    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException)
        {
            return new InvalidClientMessage("bad-json", "The message is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new InvalidClientMessage("bad-shape", "A message is a JSON object.");
            }

            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return new InvalidClientMessage("bad-shape", "A message has a string \"type\".");
            }

            return type.GetString() switch
            {
                "subscribe" => ParseSubscribe(root),
                "watch" => ParseWatch(root),
                "ping" => root.TryGetProperty("id", out var id) && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
                    ? new InvalidClientMessage("bad-field", "ping.id is a string.")
                    : new PingClientMessage(id.ValueKind == JsonValueKind.String ? Truncate(id.GetString()!, 64) : null),
                _ => new InvalidClientMessage("unknown-type", "Known message types: subscribe, watch, ping."),
            };
        }
    }

    private static ClientMessage ParseSubscribe(JsonElement root)
    {
        if (!root.TryGetProperty("filter", out var filter) || filter.ValueKind == JsonValueKind.Null)
        {
            return new SubscribeClientMessage(LiveFilter.All);
        }

        if (filter.ValueKind != JsonValueKind.Object)
        {
            return new InvalidClientMessage("bad-field", "subscribe.filter is an object {state?, tag?, text?}.");
        }

        if (!TryString(filter, "state", out var state) || !TryString(filter, "tag", out var tag) || !TryString(filter, "text", out var text))
        {
            return new InvalidClientMessage("bad-field", "filter.state, filter.tag and filter.text are strings or null.");
        }

        return LiveFilter.TryCreate(state, tag, text, out var parsed, out var error)
            ? new SubscribeClientMessage(parsed)
            : new InvalidClientMessage("bad-filter", error!);
    }

    private static ClientMessage ParseWatch(JsonElement root)
    {
        if (!root.TryGetProperty("sensorId", out var id) || id.ValueKind == JsonValueKind.Null)
        {
            return new WatchClientMessage(null);
        }

        if (id.ValueKind != JsonValueKind.String)
        {
            return new InvalidClientMessage("bad-field", "watch.sensorId is a string or null.");
        }

        return SensorId.TryParse(id.GetString(), out var sensorId, out var error)
            ? new WatchClientMessage(sensorId.Value)
            : new InvalidClientMessage("bad-sensor-id", error);
    }

    private static bool TryString(JsonElement element, string name, out string? value)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString();
        return true;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary><c>{"type":"subscribe","filter":{...}}</c>: replace the subscription; a fresh snapshot follows.</summary>
internal sealed record SubscribeClientMessage(LiveFilter Filter) : ClientMessage;

/// <summary><c>{"type":"watch","sensorId":"s-1"}</c>: full detail of one sensor (null stops watching).</summary>
internal sealed record WatchClientMessage(string? SensorId) : ClientMessage;

/// <summary><c>{"type":"ping","id":"..."}</c>: answered with a pong.</summary>
internal sealed record PingClientMessage(string? Id) : ClientMessage;

/// <summary>Anything else: answered with an error message.</summary>
internal sealed record InvalidClientMessage(string Code, string Message) : ClientMessage;
