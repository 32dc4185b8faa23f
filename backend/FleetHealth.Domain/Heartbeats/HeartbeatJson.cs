using System.Text.Json;

namespace FleetHealth.Domain.Heartbeats;

/// <summary>
/// Reads a heartbeat's JSON object strictly, for HTTP bodies, batch items and serial JSON lines
/// alike: numbers only as JSON numbers, text only as JSON strings, <c>sentAt</c> only with an
/// offset. A wrongly typed field is left out of the body and named in the errors (camelCase, as in
/// the JSON); ranges are <see cref="HeartbeatValidation"/>'s job. Names match case-insensitively
/// and unknown fields are ignored, as before, so newer firmware that sends more keeps working.
/// </summary>
public static class HeartbeatJson
{
    public const string SentAtRule = "sentAt must be an ISO 8601 time with an offset (Z or ±hh:mm)";

    private enum Field
    {
        Unknown,
        SensorId,
        Sequence,
        SentAt,
        Status,
        Battery,
        Signal,
        Firmware,
        Metrics,
    }

    // Exact (camelCase) names are matched on the UTF-8 bytes without allocating; others once by string.
    private static readonly (byte[] Utf8, string Name, Field Field)[] Fields =
    [
        ("sensorId"u8.ToArray(), "sensorId", Field.SensorId),
        ("sequence"u8.ToArray(), "sequence", Field.Sequence),
        ("sentAt"u8.ToArray(), "sentAt", Field.SentAt),
        ("status"u8.ToArray(), "status", Field.Status),
        ("battery"u8.ToArray(), "battery", Field.Battery),
        ("signal"u8.ToArray(), "signal", Field.Signal),
        ("firmware"u8.ToArray(), "firmware", Field.Firmware),
        ("metrics"u8.ToArray(), "metrics", Field.Metrics),
    ];

    /// <summary>
    /// Reads the fields of <paramref name="item"/>, which must be an object. <paramref name="sensorId"/>
    /// is its <c>sensorId</c> when <paramref name="withSensorId"/> (batch items, serial lines), else the
    /// field is ignored like any unknown one. Type errors are added to <paramref name="errors"/>.
    /// </summary>
    public static HeartbeatBody Read(JsonElement item, bool withSensorId, Dictionary<string, string[]> errors, out string? sensorId)
    {
        sensorId = null;
        long? sequence = null;
        DateTimeOffset? sentAt = null;
        string? status = null, firmware = null;
        double? battery = null, signal = null;
        Dictionary<string, double>? metrics = null;
        foreach (var property in item.EnumerateObject())
        {
            var value = property.Value;
            switch (FieldOf(property))
            {
                case Field.SensorId when withSensorId:
                    sensorId = ReadString(value, "sensorId", errors);
                    break;
                case Field.Sequence:
                    sequence = ReadInteger(value, errors);
                    break;
                case Field.SentAt:
                    sentAt = ReadSentAt(value, errors);
                    break;
                case Field.Status:
                    status = ReadString(value, "status", errors);
                    break;
                case Field.Battery:
                    battery = ReadNumber(value, "battery", errors);
                    break;
                case Field.Signal:
                    signal = ReadNumber(value, "signal", errors);
                    break;
                case Field.Firmware:
                    firmware = ReadString(value, "firmware", errors);
                    break;
                case Field.Metrics:
                    metrics = ReadMetrics(value, errors);
                    break;
            }
        }

        return new HeartbeatBody(sequence, sentAt, status, battery, signal, firmware, metrics);
    }

    /// <summary>"a string", "an array", …: what a value is, for "must be …, got …" messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static Field FieldOf(JsonProperty property)
    {
        foreach (var (utf8, _, field) in Fields)
        {
            if (property.NameEquals(utf8))
            {
                return field;
            }
        }

        var name = property.Name;
        foreach (var (_, known, field) in Fields)
        {
            if (string.Equals(name, known, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        return Field.Unknown;
    }

    private static long? ReadInteger(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer))
        {
            return integer;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            errors["sequence"] = [value.ValueKind == JsonValueKind.Number
                ? $"sequence must be a whole number within 64 bits, got {Clip(value.GetRawText())}."
                : $"sequence must be a JSON number (an integer), got {Describe(value.ValueKind)}."];
        }

        return null;
    }

    private static double? ReadNumber(JsonElement value, string name, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            errors[name] = [value.ValueKind == JsonValueKind.Number
                ? $"{name} must be a finite number, got {Clip(value.GetRawText())}."
                : $"{name} must be a JSON number, got {Describe(value.ValueKind)}."];
        }

        return null;
    }

    private static string? ReadString(JsonElement value, string name, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        if (value.ValueKind != JsonValueKind.Null)
        {
            errors[name] = [$"{name} must be a JSON string, got {Describe(value.ValueKind)}."];
        }

        return null;
    }

    private static DateTimeOffset? ReadSentAt(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (TryParseSentAt(value, out var sentAt))
        {
            return sentAt;
        }

        errors["sentAt"] = [value.ValueKind == JsonValueKind.String
            ? $"{SentAtRule}, e.g. \"2026-12-03T10:00:00Z\"; got \"{Clip(value.GetString()!)}\"."
            : $"{SentAtRule} as a JSON string, got {Describe(value.ValueKind)}."];
        return null;
    }

    private static bool TryParseSentAt(JsonElement value, out DateTimeOffset sentAt)
    {
        sentAt = default;
        if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var parsed))
        {
            return false;
        }

        // The parser takes a time without an offset as local time; only an explicit one says which
        // instant the sensor meant. After the date (10 characters) an offset is the only Z, + or -.
        var text = value.GetString()!;
        if (text.Length <= 10 || text.AsSpan(10).IndexOfAny("Zz+-") < 0)
        {
            return false;
        }

        sentAt = parsed;
        return true;
    }

    private static Dictionary<string, double>? ReadMetrics(JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            if (value.ValueKind != JsonValueKind.Null)
            {
                errors["metrics"] = [$"metrics must be a JSON object of named numbers, got {Describe(value.ValueKind)}."];
            }

            return null;
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in value.EnumerateObject())
        {
            if (metric.Value.ValueKind != JsonValueKind.Number)
            {
                errors["metrics"] = [$"metric '{Clip(metric.Name)}' must be a JSON number, got {Describe(metric.Value.ValueKind)}."];
                return null;
            }

            // An overflowing 1e999 is kept as infinity for HeartbeatValidation, which names it as not finite.
            metrics[metric.Name] = metric.Value.TryGetDouble(out var number) ? number : double.PositiveInfinity;
        }

        return metrics;
    }

    private static string Clip(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
