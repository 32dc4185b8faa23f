using System.Text;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Sensors;
using FleetHealth.Domain.Serial;

namespace FleetHealth.Domain.Tests.Serial;

public class SerialLineParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static ParsedLine Parse(string line, string? defaultSensor = null)
    {
        SensorId? fallback = null;
        if (defaultSensor is not null)
        {
            Assert.True(SensorId.TryParse(defaultSensor, out var id, out _));
            fallback = id;
        }

        return SerialLineParser.Parse(Encoding.Latin1.GetBytes(line), fallback, Now);
    }

    private static string WithChecksum(string body)
    {
        byte x = 0;
        foreach (var b in Encoding.ASCII.GetBytes(body))
        {
            x ^= b;
        }

        return $"{body}*{x:X2}";
    }

    [Fact]
    public void A_full_hb_line_becomes_a_heartbeat_with_every_field()
    {
        var parsed = Parse("HB sensor-1 seq=42 status=fault battery=87.5 signal=-71 fw=1.2.3 sent=2026-11-23T11:59:59Z");

        Assert.Equal(LineKind.Heartbeat, parsed.Kind);
        var hb = parsed.Heartbeat!;
        Assert.Equal("sensor-1", hb.SensorId.Value);
        Assert.Equal(42, hb.Sequence);
        Assert.Equal(ReportedStatus.Fault, hb.Status);
        Assert.Equal(87.5, hb.Battery);
        Assert.Equal(-71, hb.Signal);
        Assert.Equal("1.2.3", hb.Firmware);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 11, 59, 59, TimeSpan.Zero), hb.SentAt);
        Assert.Equal(Now, hb.ReceivedAt);
    }

    [Theory]
    [InlineData("HB s1")]
    [InlineData("HB s1\r")]
    [InlineData("  HB   s1   seq=1  ")]
    [InlineData("HB\ts1\tseq=1")]
    [InlineData("HB AA:BB:CC:DD:EE:FF status=ok")]
    public void Minimal_and_loosely_spaced_lines_are_heartbeats(string line)
    {
        var parsed = Parse(line);
        Assert.Equal(LineKind.Heartbeat, parsed.Kind);
    }

    [Fact]
    public void A_bare_hb_is_the_ports_default_sensor()
    {
        var parsed = Parse("HB seq=7", defaultSensor: "uart-1");
        Assert.Equal(LineKind.Heartbeat, parsed.Kind);
        Assert.Equal("uart-1", parsed.Heartbeat!.SensorId.Value);
        Assert.Equal(7, parsed.Heartbeat.Sequence);
        Assert.Equal("uart-1", Parse("HB", defaultSensor: "uart-1").Heartbeat!.SensorId.Value);
    }

    [Fact]
    public void A_bare_hb_without_a_default_sensor_is_invalid()
    {
        var parsed = Parse("HB seq=7");
        Assert.Equal(LineKind.Invalid, parsed.Kind);
        Assert.Contains("DefaultSensorId", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_id_wins_over_the_default_sensor() =>
        Assert.Equal("other", Parse("HB other", defaultSensor: "uart-1").Heartbeat!.SensorId.Value);

    [Theory]
    [InlineData("HB s1 seq=1 battery=50")]
    [InlineData("{\"sensorId\":\"s1\",\"sequence\":1}")]
    [InlineData("HB")]
    public void A_right_checksum_is_accepted_in_upper_or_lower_case(string body)
    {
        var line = WithChecksum(body);
        Assert.Equal(LineKind.Heartbeat, Parse(line, "dflt").Kind);
        Assert.Equal(LineKind.Heartbeat, Parse(line[..^2] + line[^2..].ToLowerInvariant(), "dflt").Kind);
    }

    [Theory]
    [InlineData("HB s1 seq=1*00")]
    [InlineData("HB s1 seq=2*FF")]
    public void A_wrong_checksum_is_refused_as_such(string line)
    {
        var parsed = Parse(line);
        Assert.Equal(LineKind.BadChecksum, parsed.Kind);
        Assert.Contains("checksum", parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_whose_checksum_was_computed_before_a_bit_flip_is_refused()
    {
        var good = WithChecksum("HB s1 seq=10");
        var flipped = good.Replace("seq=10", "seq=11", StringComparison.Ordinal);
        Assert.Equal(LineKind.BadChecksum, Parse(flipped).Kind);
    }

    [Theory]
    [InlineData("HB s1 seq=1*G0")]
    [InlineData("HB s1 seq=1*0")]
    [InlineData("HB s1 seq=1 *")]
    public void A_star_that_is_not_a_two_digit_hex_checksum_is_malformed(string line) =>
        Assert.Equal(LineKind.Malformed, Parse(line).Kind);

    [Theory]
    [InlineData("hb s1", "neither")]
    [InlineData("XYZ", "neither")]
    [InlineData("HBs1", "neither")]
    [InlineData("HB s1 seq", "key=value")]
    [InlineData("HB s1 seq=", "key=value")]
    [InlineData("HB s1 =5", "key=value")]
    [InlineData("HB s1 seq=abc", "seq")]
    [InlineData("HB s1 seq=1.5", "seq")]
    [InlineData("HB s1 battery=lots", "battery")]
    [InlineData("HB s1 battery=NaN", "battery")]
    [InlineData("HB s1 battery=1e3", "battery")]
    [InlineData("HB s1 signal=x", "signal")]
    [InlineData("HB s1 sent=yesterday", "sent")]
    [InlineData("HB s1 color=red", "unknown field")]
    [InlineData("HB s1 seq=1 seq=2", "twice")]
    [InlineData("HB s1 s2", "key=value")]
    [InlineData("{\"sensorId\":", "JSON")]
    [InlineData("{\"sensorId\":\"s1\",\"sequence\":\"one\"}", "JSON")]
    [InlineData("{\"sensorId\":\"s1\",\"sequence\":\"5\"}", "sequence must be a JSON number")]
    [InlineData("{\"sensorId\":\"s1\",\"battery\":\"50\"}", "battery must be a JSON number")]
    [InlineData("{\"sensorId\":5}", "sensorId must be a JSON string")]
    [InlineData("{\"sensorId\":\"s1\",\"sentAt\":\"2026-11-23T12:00:00\"}", "sentAt must be an ISO 8601 time with an offset")]
    public void Each_malformed_field_is_refused_and_named(string line, string named)
    {
        var parsed = Parse(line);
        Assert.Equal(LineKind.Malformed, parsed.Kind);
        Assert.Contains(named, parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HB s1 seq=-1", "sequence")]
    [InlineData("HB s1 status=broken", "status")]
    [InlineData("HB s1 battery=101", "battery")]
    [InlineData("HB s1 battery=-0.5", "battery")]
    [InlineData("HB s1 signal=51", "signal")]
    [InlineData("HB s1 signal=-201", "signal")]
    [InlineData("HB s1 fw=12345678901234567890123456789012345678901234567890123456789012345", "firmware")]
    [InlineData("HB bad/id", "character")]
    [InlineData("{\"sequence\":1}", "DefaultSensorId")]
    [InlineData("{\"sensorId\":\"s1\",\"battery\":300}", "battery")]
    [InlineData("{\"sensorId\":\"\"}", "empty")]
    [InlineData("HB ..", "only of dots")]
    [InlineData("HB . seq=1", "only of dots")]
    [InlineData("{\"sensorId\":\"..\"}", "only of dots")]
    public void Each_field_out_of_bounds_is_invalid_as_over_http(string line, string named)
    {
        var parsed = Parse(line);
        Assert.Equal(LineKind.Invalid, parsed.Kind);
        Assert.Contains(named, parsed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_line_becomes_a_heartbeat_with_its_metrics()
    {
        var parsed = Parse("{\"sensorId\":\"j-1\",\"sequence\":3,\"sentAt\":\"2026-11-23T11:00:00Z\",\"status\":\"ok\",\"battery\":12,\"signal\":-90,\"firmware\":\"f\",\"metrics\":{\"temp\":21.5}}");
        Assert.Equal(LineKind.Heartbeat, parsed.Kind);
        var hb = parsed.Heartbeat!;
        Assert.Equal("j-1", hb.SensorId.Value);
        Assert.Equal(3, hb.Sequence);
        Assert.Equal(21.5, hb.Metrics!["temp"]);
    }

    [Fact]
    public void A_json_line_without_an_id_is_the_default_sensor() =>
        Assert.Equal("d", Parse("{\"sequence\":1}", defaultSensor: "d").Heartbeat!.SensorId.Value);

    [Theory]
    [InlineData("HB s1 fw=caf\u00e9")]
    [InlineData("\u00ff\u00feHB s1")]
    [InlineData("HB s1\u0001")]
    [InlineData("HB s1 \u007f")]
    public void Non_ascii_and_control_bytes_are_malformed(string line)
    {
        var parsed = Parse(line);
        Assert.Equal(LineKind.Malformed, parsed.Kind);
        Assert.Contains("not printable ASCII", parsed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    public void Blank_lines_are_ignored(string line) => Assert.Equal(LineKind.Empty, Parse(line).Kind);

    [Fact]
    public void A_line_of_512_bytes_is_still_parsed()
    {
        var line = "HB s1 fw=x" + new string(' ', 512 - 10);
        Assert.Equal(512, line.Length);
        Assert.Equal(LineKind.Heartbeat, Parse(line).Kind);
    }
}
