namespace FleetHealth.Serial;

/// <summary>
/// An open serial device: raw bytes in and out. Every failure of the device (gone, hung up,
/// nobody taking bytes) throws <see cref="IOException"/>; after a read or write failed the port
/// is dead: dispose it and open the device again.
/// </summary>
public interface ISerialPort : IDisposable
{
    /// <summary>Reads what is available into <paramref name="buffer"/>, waiting at most <paramref name="timeout"/>; 0 if nothing came.</summary>
    int Read(byte[] buffer, TimeSpan timeout);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    void Write(ReadOnlySpan<byte> data);
}
