using System.Text.Json;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Heartbeats;

/// <summary>One item of a gateway's batch, judged as if it had come alone.</summary>
public static class BatchItemReader
{
    /// <summary>
    /// Returns the item's heartbeat, or null with <paramref name="errors"/> naming each bad field
    /// (<c>item</c> when it is not an object at all). <paramref name="sensorId"/> is the item's id as sent.
    /// </summary>
    public static Heartbeat? Read(JsonElement item, DateTimeOffset receivedAt, out string? sensorId, out Dictionary<string, string[]> errors)
    {
        errors = [];
        sensorId = null;
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors["item"] = [$"item must be a JSON object, got {HeartbeatJson.Describe(item.ValueKind)}."];
            return null;
        }

        var body = HeartbeatJson.Read(item, withSensorId: true, errors, out sensorId);
        if (!SensorId.TryParse(sensorId, out var id, out var idError))
        {
            // A sensorId of the wrong type already has its own, more telling, message.
            errors.TryAdd("sensorId", [idError]);
            return null;
        }

        return HeartbeatValidation.Validate(id, body, receivedAt, errors);
    }
}
