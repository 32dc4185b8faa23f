using System.Net.Sockets;

namespace FleetHealth.Server.Notifications;

/// <summary>
/// The HTTP client of webhook and Slack deliveries: every connection goes through the
/// <see cref="TargetGuard"/> (resolved, checked, then connected to the checked address), no
/// redirects are followed, no proxy is used, and nothing is retried here (the delivery decides).
/// </summary>
internal sealed class NotificationHttp : IDisposable
{
    public NotificationHttp(TargetGuard guard)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await guard.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
