using FleetHealth.Server.Serial;

namespace FleetHealth.Server.Tests.Serial;

public class SerialOptionsValidationTests
{
    private static IEnumerable<string> Failures(params SerialPortOptions[] ports) =>
        new SerialOptionsValidation().Validate(null, new SerialOptions { Ports = [.. ports] }).Failures ?? [];

    [Fact]
    public void A_standard_port_is_valid() =>
        Assert.Empty(Failures(new SerialPortOptions { Device = "/dev/ttyUSB0", Baud = 9600, DefaultSensorId = "s-1" }));

    [Fact]
    public void Empty_device_nonstandard_baud_and_bad_default_id_are_each_named()
    {
        var failures = Failures(new SerialPortOptions { Device = "", Baud = 12345, DefaultSensorId = "bad id" }).ToList();
        Assert.Contains(failures, f => f.Contains("Serial:Ports:0:Device is empty", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Serial:Ports:0:Baud 12345", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Serial:Ports:0:DefaultSensorId", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_device_twice_is_refused() =>
        Assert.Contains(
            Failures(new SerialPortOptions { Device = "/dev/a" }, new SerialPortOptions { Device = "/dev/a" }),
            f => f.Contains("Serial:Ports:1:Device '/dev/a' is configured twice", StringComparison.Ordinal));
}
