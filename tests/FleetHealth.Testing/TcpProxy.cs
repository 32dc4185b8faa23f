using System.Net;
using System.Net.Sockets;

namespace FleetHealth.Testing;

/// <summary>
/// A TCP forwarder on a loopback port that a test puts between a process and its server (e.g. a
/// node and PostgreSQL) to cut it off. <see cref="BlackHole"/> stops every byte in both directions
/// while both ends stay connected, as a silent network partition does (nobody is told anything);
/// <see cref="Heal"/> lets the held bytes through again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private TaskCompletionSource _open = Open();
    private volatile bool _refusing;

    private TcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether bytes are being held.</summary>
    public bool IsBlackHoled => !Volatile.Read(ref _open).Task.IsCompleted;

    public static TcpProxy To(string host, int port) =>
        new(new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port));

    /// <summary>From now on no byte passes either way, on existing or new connections; they are held, not dropped.</summary>
    public void BlackHole()
    {
        lock (_connections)
        {
            if (!IsBlackHoled)
            {
                Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
    }

    /// <summary>
    /// As when the server goes down: every connection is closed now, and new ones are closed as soon
    /// as they arrive (both ends are told at once, unlike <see cref="BlackHole"/>), until <see cref="Heal"/>.
    /// </summary>
    public void Refuse()
    {
        lock (_connections)
        {
            _refusing = true;
            _connections.ForEach(c => c.Dispose());
            _connections.Clear();
        }
    }

    /// <summary>The held bytes go through, and everything after them; new connections are let through again.</summary>
    public void Heal()
    {
        lock (_connections)
        {
            _refusing = false;
            Volatile.Read(ref _open).TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Heal();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }

        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(inbound);
        }
    }

    private async Task ForwardAsync(TcpClient inbound)
    {
        using var outbound = new TcpClient();
        lock (_connections)
        {
            if (_refusing)
            {
                inbound.Dispose();
                return;
            }

            _connections.Add(inbound);
            _connections.Add(outbound);
        }

        try
        {
            await Volatile.Read(ref _open).Task.WaitAsync(_stop.Token);
            await outbound.ConnectAsync(_target, _stop.Token);
            var a = PumpAsync(inbound.GetStream(), outbound.GetStream());
            var b = PumpAsync(outbound.GetStream(), inbound.GetStream());
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // One side went away: so does the other.
        }
        finally
        {
            inbound.Dispose();
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return;
            }

            // A read while black-holed is held here; the kernel's buffers then fill and TCP
            // flow control holds the rest, so neither end notices anything but silence.
            await Volatile.Read(ref _open).Task.WaitAsync(_stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
