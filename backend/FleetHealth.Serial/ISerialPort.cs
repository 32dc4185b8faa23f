namespace FleetHealth.Serial;

/// <summary>An open serial device: raw bytes in and out. Failures (device gone, hung up) throw <see cref="IOException"/>.</summary>
public interface ISerialPort : IDisposable
{
    /// <summary>Reads what is available into <paramref name="buffer"/>, waiting at most <paramref name="timeout"/>; 0 if nothing came.</summary>
    int Read(byte[] buffer, TimeSpan timeout);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    void Write(ReadOnlySpan<byte> data);
}
