namespace FleetHealth.Server.Serial;

/// <summary>An open serial device: raw bytes in and out. Failures (device gone, hung up) throw <see cref="IOException"/>.</summary>
public interface ISerialPort : IDisposable
{
    /// <summary>Reads what is available into <paramref name="buffer"/>, waiting at most <paramref name="timeout"/>; 0 if nothing came.</summary>
    int Read(byte[] buffer, TimeSpan timeout);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    void Write(ReadOnlySpan<byte> data);
}

/// <summary>Opens serial devices; a seam so the reader can be tested without hardware.</summary>
public interface ISerialPortFactory
{
    ISerialPort Open(string device, int baud);
}

internal sealed class TermiosSerialPortFactory : ISerialPortFactory
{
    public ISerialPort Open(string device, int baud) => TermiosSerialPort.Open(device, baud);
}
