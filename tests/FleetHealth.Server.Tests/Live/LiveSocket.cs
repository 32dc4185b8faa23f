using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Live;

/// <summary>A websocket test client: every received message goes to a queue the test reads with deadlines.</summary>
internal sealed class LiveSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private Task? _receive;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public ClientWebSocket Socket => _socket;

    /// <summary>Opens <c>/ws</c> with the session cookie <paramref name="session"/> (none when null), as a signed-in dashboard does.</summary>
    public static async Task<LiveSocket> ConnectAsync(Uri baseAddress, string? session, string query = "", bool startReading = true)
    {
        var socket = new LiveSocket();
        if (session is not null)
        {
            socket._socket.Options.SetRequestHeader("Cookie", $"{ServerProcess.SessionCookieName}={session}");
        }

        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/ws", Query = query }.Uri;
        await socket._socket.ConnectAsync(uri, CancellationToken.None);
        if (startReading)
        {
            socket.StartReading();
        }

        return socket;
    }

    public void StartReading() => _receive = ReceiveAsync();

    public Task SendAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message of <paramref name="type"/> (skipping others) that satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> NextAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(timeout.Token);
                if (message.GetProperty("type").GetString() == type && (match is null || match(message)))
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{type}' message in time.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"Closed ({CloseStatus} {CloseDescription}) before a '{type}' message.");
        }
    }

    /// <summary>Waits until the server closes the connection; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            while (await _messages.Reader.WaitToReadAsync(timeout.Token))
            {
                _messages.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The server did not close the connection.");
        }

        return CloseStatus;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _messages.Writer.TryWrite(JsonDocument.Parse(message.ToArray()).RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        if (_receive is not null)
        {
            await Task.WhenAny(_receive, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        _socket.Dispose();
    }
}
