using FleetHealth.Domain.Sensors;
using FleetHealth.Serial;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Serial;

/// <summary>Configuration section <c>Serial</c>: the serial ports this node reads heartbeats from.</summary>
public sealed class SerialOptions
{
    public const string Section = "Serial";

    /// <summary>One entry per port, e.g. env <c>Serial__Ports__0__Device=/dev/ttyUSB0</c>, <c>Serial__Ports__0__Baud=115200</c>.</summary>
    public List<SerialPortOptions> Ports { get; set; } = [];

    /// <summary>Heartbeats per port held in memory while storage is down; beyond it lines are dropped and counted (overflow).</summary>
    public int QueueCapacity { get; set; } = 10_000;
}

/// <summary>One serial port.</summary>
public sealed class SerialPortOptions
{
    /// <summary>Device path, e.g. <c>/dev/ttyUSB0</c> or a pseudo-terminal.</summary>
    public string Device { get; set; } = "";

    /// <summary>A standard rate (see <see cref="SerialBaud.Standard"/>).</summary>
    public int Baud { get; set; } = 115_200;

    /// <summary>For a line that carries one sensor: a bare <c>HB</c> line (no id) is this sensor.</summary>
    public string? DefaultSensorId { get; set; }
}

/// <summary>Refuses a bad serial configuration at start, naming the key at fault.</summary>
internal sealed class SerialOptionsValidation : IValidateOptions<SerialOptions>
{
    public ValidateOptionsResult Validate(string? name, SerialOptions options)
    {
        var errors = new List<string>();
        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"Serial:QueueCapacity must be from 1 to 1000000 (is {options.QueueCapacity}).");
        }

        var devices = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Ports.Count; i++)
        {
            var port = options.Ports[i];
            if (string.IsNullOrWhiteSpace(port.Device))
            {
                errors.Add($"Serial:Ports:{i}:Device is empty; give a device path such as /dev/ttyUSB0.");
            }
            else if (!devices.Add(port.Device))
            {
                errors.Add($"Serial:Ports:{i}:Device '{port.Device}' is configured twice.");
            }

            if (!SerialBaud.IsStandard(port.Baud))
            {
                errors.Add($"Serial:Ports:{i}:Baud {SerialBaud.NotStandard(port.Baud)}");
            }

            if (port.DefaultSensorId is not null && !SensorId.TryParse(port.DefaultSensorId, out _, out var idError))
            {
                errors.Add($"Serial:Ports:{i}:DefaultSensorId is not a valid sensor id: {idError}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
