using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Heartbeats;

/// <summary>Turns a body into a <see cref="Heartbeat"/>, naming each field that is out of bounds.</summary>
public static class HeartbeatValidation
{
    public const int MaxFirmwareLength = 64;
    public const int MaxMetrics = 16;
    public const int MaxMetricNameLength = 64;

    /// <summary>Returns the heartbeat, or null with <paramref name="errors"/> keyed by field name (camelCase, as in the JSON).</summary>
    public static Heartbeat? Validate(SensorId sensorId, HeartbeatBody? body, DateTimeOffset receivedAt, out Dictionary<string, string[]> errors)
    {
        errors = [];
        return Validate(sensorId, body, receivedAt, errors);
    }

    /// <summary>
    /// As above, adding to <paramref name="errors"/>, which may already name fields refused for their
    /// type (<see cref="HeartbeatJson"/>): any error at all, old or new, means no heartbeat.
    /// </summary>
    public static Heartbeat? Validate(SensorId sensorId, HeartbeatBody? body, DateTimeOffset receivedAt, Dictionary<string, string[]> errors)
    {
        if (body is null)
        {
            return errors.Count > 0 ? null : new Heartbeat(sensorId, receivedAt);
        }

        if (body.Sequence is < 0)
        {
            errors["sequence"] = ["sequence must be 0 or more."];
        }

        var status = ReportedStatus.Ok;
        if (body.Status is not null && !TryParseStatus(body.Status, out status))
        {
            errors["status"] = ["status must be \"ok\" or \"fault\"."];
        }

        if (body.Battery is { } battery && !(battery is >= 0 and <= 100))
        {
            errors["battery"] = ["battery must be a percentage from 0 to 100."];
        }

        if (body.Signal is { } signal && !(signal is >= -200 and <= 50))
        {
            errors["signal"] = ["signal must be in dBm, from -200 to 50."];
        }

        if (body.Firmware is { Length: > MaxFirmwareLength })
        {
            errors["firmware"] = [$"firmware must be at most {MaxFirmwareLength} characters."];
        }

        if (body.Metrics is { } metrics)
        {
            if (metrics.Count > MaxMetrics)
            {
                errors["metrics"] = [$"metrics may hold at most {MaxMetrics} entries."];
            }
            else if (metrics.Keys.FirstOrDefault(k => k.Length is 0 or > MaxMetricNameLength) is { } badName)
            {
                errors["metrics"] = [$"metric name '{Truncate(badName)}' must be 1 to {MaxMetricNameLength} characters."];
            }
            else if (metrics.FirstOrDefault(kv => !double.IsFinite(kv.Value)) is { Key: { } nonFinite })
            {
                errors["metrics"] = [$"metric '{nonFinite}' must be a finite number."];
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new Heartbeat(sensorId, receivedAt, body.Sequence, body.SentAt, status, body.Battery, body.Signal, body.Firmware, body.Metrics);
    }

    public static bool TryParseStatus(string text, out ReportedStatus status)
    {
        switch (text)
        {
            case "ok":
                status = ReportedStatus.Ok;
                return true;
            case "fault":
                status = ReportedStatus.Fault;
                return true;
            default:
                status = ReportedStatus.Ok;
                return false;
        }
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
