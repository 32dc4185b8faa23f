namespace FleetHealth.Serial;

/// <summary>The baud rates a port may be configured with: the standard ones every Linux UART driver knows.</summary>
public static class SerialBaud
{
    /// <summary>The standard rates, slowest first.</summary>
    public static IReadOnlyList<int> Standard { get; } = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

    /// <summary>Whether <paramref name="baud"/> is one of <see cref="Standard"/>.</summary>
    public static bool IsStandard(int baud) => Standard.Contains(baud);

    /// <summary>Why <paramref name="baud"/> is refused, naming the rates that are allowed.</summary>
    public static string NotStandard(int baud) => $"{baud} is not a standard rate ({string.Join(", ", Standard)}).";
}
