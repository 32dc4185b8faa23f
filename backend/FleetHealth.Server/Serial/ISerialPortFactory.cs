using FleetHealth.Serial;

namespace FleetHealth.Server.Serial;

/// <summary>Opens serial devices; a seam so the reader can be tested without hardware.</summary>
public interface ISerialPortFactory
{
    ISerialPort Open(string device, int baud);
}

internal sealed class SerialPortConnectionFactory : ISerialPortFactory
{
    public ISerialPort Open(string device, int baud) => SerialPortConnection.Open(device, baud);
}
