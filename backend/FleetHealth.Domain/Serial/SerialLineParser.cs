using System.Globalization;
using System.Text;
using System.Text.Json;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Sensors;

namespace FleetHealth.Domain.Serial;

/// <summary>What became of one line.</summary>
public enum LineKind
{
    /// <summary>A valid heartbeat, ready for the sink.</summary>
    Heartbeat,

    /// <summary>Blank line: ignored, not counted.</summary>
    Empty,

    /// <summary>A trailing <c>*XX</c> checksum that does not match.</summary>
    BadChecksum,

    /// <summary>Not the protocol: garbage, non-ASCII, bad token, unparsable number or JSON.</summary>
    Malformed,

    /// <summary>Well-formed, but a field fails the same validation as HTTP (bad id, out of range, …).</summary>
    Invalid,
}

/// <summary>The outcome of parsing one line; <see cref="Error"/> says why it was refused.</summary>
public readonly record struct ParsedLine(LineKind Kind, Heartbeat? Heartbeat = null, string? Error = null);

/// <summary>
/// Parses one line of the serial protocol (see PROTOCOL.md) into a heartbeat, validated exactly
/// like an HTTP body. Pure: no I/O; the receive time is passed in.
/// </summary>
public static class SerialLineParser
{
    public static ParsedLine Parse(ReadOnlySpan<byte> line, SensorId? defaultSensor, DateTimeOffset receivedAt)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            return new(LineKind.Empty);
        }

        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (b >= 0x7F || (b < 0x20 && b != (byte)'\t'))
            {
                return new(LineKind.Malformed, Error: $"byte 0x{b:X2} at position {i + 1} is not printable ASCII");
            }
        }

        if (line.Length >= 3 && line[^3] == (byte)'*' && IsHex(line[^2]) && IsHex(line[^1]))
        {
            var expected = (byte)((HexValue(line[^2]) << 4) | HexValue(line[^1]));
            byte actual = 0;
            foreach (var b in line[..^3])
            {
                actual ^= b;
            }

            if (actual != expected)
            {
                return new(LineKind.BadChecksum, Error: $"checksum is {expected:X2} but the line's XOR is {actual:X2}");
            }

            line = line[..^3];
        }

        var text = Encoding.ASCII.GetString(line).Trim(' ', '\t');
        return text.StartsWith('{')
            ? ParseJson(text, defaultSensor, receivedAt)
            : ParseHb(text, defaultSensor, receivedAt);
    }

    private static ParsedLine ParseJson(string text, SensorId? defaultSensor, DateTimeOffset receivedAt)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return new(LineKind.Malformed, Error: $"not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(LineKind.Malformed, Error: $"a JSON line must be a JSON object, got {HeartbeatJson.Describe(root.ValueKind)}");
            }

            // The HTTP body's reader, so a wrongly typed field is refused here exactly as over HTTP;
            // it is not the protocol's JSON, so it counts as malformed, like an unparsable text field.
            var typeErrors = new Dictionary<string, string[]>();
            var body = HeartbeatJson.Read(root, withSensorId: true, typeErrors, out var sensor);
            return typeErrors.Count > 0
                ? new(LineKind.Malformed, Error: Join(typeErrors))
                : Build(sensor, body, defaultSensor, receivedAt);
        }
    }

    private static ParsedLine ParseHb(string text, SensorId? defaultSensor, DateTimeOffset receivedAt)
    {
        var tokens = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens[0] != "HB")
        {
            return new(LineKind.Malformed, Error: "line starts with neither 'HB' nor '{'");
        }

        var next = 1;
        string? sensor = null;
        if (tokens.Length > 1 && !tokens[1].Contains('=', StringComparison.Ordinal))
        {
            sensor = tokens[1];
            next = 2;
        }

        long? sequence = null;
        DateTimeOffset? sentAt = null;
        string? status = null;
        double? battery = null;
        double? signal = null;
        string? firmware = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = next; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == token.Length - 1)
            {
                return new(LineKind.Malformed, Error: $"'{Clip(token)}' is not key=value");
            }

            var key = token[..eq];
            var value = token[(eq + 1)..];
            if (!seen.Add(key))
            {
                return new(LineKind.Malformed, Error: $"field '{Clip(key)}' appears twice");
            }

            switch (key)
            {
                case "seq":
                    if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seq))
                    {
                        return new(LineKind.Malformed, Error: $"seq '{Clip(value)}' is not a whole number");
                    }

                    sequence = seq;
                    break;
                case "status":
                    status = value;
                    break;
                case "battery":
                    if (!TryNumber(value, out var b))
                    {
                        return new(LineKind.Malformed, Error: $"battery '{Clip(value)}' is not a number");
                    }

                    battery = b;
                    break;
                case "signal":
                    if (!TryNumber(value, out var s))
                    {
                        return new(LineKind.Malformed, Error: $"signal '{Clip(value)}' is not a number");
                    }

                    signal = s;
                    break;
                case "fw":
                    firmware = value;
                    break;
                case "sent":
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
                    {
                        return new(LineKind.Malformed, Error: $"sent '{Clip(value)}' is not an ISO 8601 time");
                    }

                    sentAt = sent;
                    break;
                default:
                    return new(LineKind.Malformed, Error: $"unknown field '{Clip(key)}' (known: seq, status, battery, signal, fw, sent)");
            }
        }

        return Build(sensor, new HeartbeatBody(sequence, sentAt, status, battery, signal, firmware), defaultSensor, receivedAt);
    }

    private static ParsedLine Build(string? sensor, HeartbeatBody body, SensorId? defaultSensor, DateTimeOffset receivedAt)
    {
        SensorId id;
        if (sensor is null)
        {
            if (defaultSensor is not { } fallback)
            {
                return new(LineKind.Invalid, Error: "no sensor id, and this port has no DefaultSensorId");
            }

            id = fallback;
        }
        else if (!SensorId.TryParse(sensor, out id, out var idError))
        {
            return new(LineKind.Invalid, Error: idError);
        }

        var heartbeat = HeartbeatValidation.Validate(id, body, receivedAt, out var errors);
        return heartbeat is null
            ? new(LineKind.Invalid, Error: Join(errors))
            : new(LineKind.Heartbeat, heartbeat);
    }

    private static string Join(Dictionary<string, string[]> errors) => string.Join(" ", errors.Values.SelectMany(v => v));

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'F') or (>= (byte)'a' and <= (byte)'f');

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static string Clip(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
