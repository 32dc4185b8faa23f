using System.Collections.Concurrent;
using System.Net;
using System.Text;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Notifications;

/// <summary>What the receiver does with a request.</summary>
internal enum ReceiverMode
{
    Ok,
    Fail500,
    Slow,
}

/// <summary>A request the receiver got, and what it answered.</summary>
internal sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Answered);

/// <summary>
/// A real HTTP receiver on a loopback port (HttpListener): it records every request and answers as
/// its <see cref="Mode"/> says; it can be taken down (nothing listens on its port) and brought
/// back on the same port.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private HttpListener? _listener;
    private Task _loop = Task.CompletedTask;

    public WebhookReceiver()
    {
        Port = FreePort.Next();
        Up();
    }

    public int Port { get; }

    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";

    public ReceiverMode Mode { get; set; } = ReceiverMode.Ok;

    /// <summary>How long a slow answer waits (the server's timeout should be shorter).</summary>
    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests to <c>/redirect</c> are answered 302 to this address.</summary>
    public string? RedirectTo { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Requests answered 2xx.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => [.. _requests.Where(r => r.Answered is >= 200 and < 300)];

    public void Up()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _loop = Task.Run(() => ServeAsync(listener));
    }

    public async Task DownAsync()
    {
        if (_listener is not { } listener)
        {
            return;
        }

        _listener = null;
        listener.Stop();
        listener.Close();
        await _loop;
    }

    public async ValueTask DisposeAsync() => await DownAsync();

    private async Task ServeAsync(HttpListener listener)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            var mode = Mode;
            if (mode == ReceiverMode.Slow)
            {
                await Task.Delay(SlowFor);
            }

            var redirect = context.Request.Url!.AbsolutePath == "/redirect" && RedirectTo is not null;
            var status = redirect ? 302 : mode == ReceiverMode.Fail500 ? 500 : 200;
            _requests.Enqueue(new ReceivedRequest(context.Request.Url!.AbsolutePath, headers, body, mode == ReceiverMode.Slow ? 0 : status));
            context.Response.StatusCode = status;
            if (redirect)
            {
                context.Response.RedirectLocation = RedirectTo;
            }

            var answer = Encoding.UTF8.GetBytes(status == 200 ? "ok" : "broken");
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The server gave up on this request (its timeout) or the listener went down.
        }
    }
}
