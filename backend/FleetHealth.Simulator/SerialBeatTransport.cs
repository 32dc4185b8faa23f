using System.Text;
using FleetHealth.Serial;

namespace FleetHealth.Simulator;

/// <summary>
/// Writes beats as line-protocol lines to a serial device (a UART or a pseudo-terminal). A line
/// written is counted as delivered (serial has no acknowledgement); a device that is gone makes
/// the beat retryable and is reopened on the next send.
/// </summary>
internal sealed class SerialBeatTransport(string device, int baud, TextWriter log) : IBeatTransport
{
    private readonly Lock _lock = new();
    private SerialPortConnection? _port;
    private bool _failing;

    public int MaxBatch => 1;

    public Task<Delivery[]> SendAsync(IReadOnlyList<Beat> beats, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromResult(Same(beats.Count, Delivery.Retry));
        }

        var bytes = Encoding.ASCII.GetBytes(string.Concat(beats.Select(b => b.ToSerialLine())));
        lock (_lock)
        {
            try
            {
                _port ??= SerialPortConnection.Open(device, baud);
                _port.Write(bytes);
                _failing = false;
                return Task.FromResult(Same(beats.Count, Delivery.Delivered));
            }
            catch (IOException e)
            {
                _port?.Dispose();
                _port = null;
                if (!_failing)
                {
                    _failing = true;
                    log.WriteLine($"serial {device}: {e.Message}; beats are kept and the device reopened");
                }

                return Task.FromResult(Same(beats.Count, Delivery.Retry));
            }
        }
    }

    private static Delivery[] Same(int count, Delivery delivery) => Enumerable.Repeat(delivery, count).ToArray();

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _port?.Dispose();
            _port = null;
        }

        return ValueTask.CompletedTask;
    }
}
