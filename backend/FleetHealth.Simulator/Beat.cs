using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FleetHealth.Simulator;

/// <summary>One simulated heartbeat, as the sensor sends it.</summary>
internal sealed record Beat(string SensorId, long Sequence, DateTimeOffset SentAt, bool Fault, double Battery, double Signal, string Firmware)
{
    /// <summary>The JSON body of <c>POST /api/v1/heartbeats/{id}</c> or, with the id, one item of a batch and one line of the queue file.</summary>
    public void WriteJson(Utf8JsonWriter json, bool withSensorId)
    {
        json.WriteStartObject();
        if (withSensorId)
        {
            json.WriteString("sensorId", SensorId);
        }

        json.WriteNumber("sequence", Sequence);
        json.WriteString("sentAt", SentAt);
        json.WriteString("status", Fault ? "fault" : "ok");
        json.WriteNumber("battery", Battery);
        json.WriteNumber("signal", Signal);
        json.WriteString("firmware", Firmware);
        json.WriteEndObject();
    }

    public static byte[] ToJson(IReadOnlyList<Beat> beats, bool asArray)
    {
        var buffer = new ArrayBufferWriter<byte>(160 * beats.Count);
        using (var json = new Utf8JsonWriter(buffer))
        {
            if (asArray)
            {
                json.WriteStartArray();
            }

            foreach (var beat in beats)
            {
                beat.WriteJson(json, withSensorId: asArray);
            }

            if (asArray)
            {
                json.WriteEndArray();
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One queue-file line (without the newline).</summary>
    public byte[] ToQueueLine()
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteJson(json, withSensorId: true);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a queue-file line back; null if it is not one (a torn write).</summary>
    public static Beat? FromQueueLine(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            return new Beat(
                root.GetProperty("sensorId").GetString()!,
                root.GetProperty("sequence").GetInt64(),
                root.GetProperty("sentAt").GetDateTimeOffset(),
                root.GetProperty("status").GetString() == "fault",
                root.GetProperty("battery").GetDouble(),
                root.GetProperty("signal").GetDouble(),
                root.GetProperty("firmware").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The serial line protocol: <c>HB id seq=n status=ok battery=v signal=v fw=s sent=iso*XX</c> with its NMEA-style checksum and newline.</summary>
    public string ToSerialLine()
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $"HB {SensorId} seq={Sequence} status={(Fault ? "fault" : "ok")} battery={Battery:0.##} signal={Signal:0.#} fw={Firmware} sent={SentAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}");
        byte checksum = 0;
        foreach (var b in Encoding.ASCII.GetBytes(body))
        {
            checksum ^= b;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{body}*{checksum:X2}\n");
    }
}
