using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// The internal endpoint as a server of its own: a second Kestrel on <see cref="ClusterOptions.InternalUrl"/>,
/// HTTP/2 only (cleartext, prior knowledge), serving only <see cref="ClusterInternalApi"/>. Being a
/// separate server, nothing of it is reachable through the public port, and nothing public
/// through it. Once bound, the node's advertised address is known and it may join.
/// </summary>
internal sealed partial class ClusterEndpoint(
    ClusterNode node,
    IOptions<ClusterOptions> options,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    ILogger<ClusterEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>
    /// Builds and starts the embedded server outside the caller's execution context. A host built
    /// in the context of the application's entry point is taken for the application's own by
    /// anything that finds hosts the way WebApplicationFactory does (HostFactoryResolver: a
    /// diagnostic listener scoped by an AsyncLocal of the entry point's thread, which stays
    /// subscribed until its waiting thread wakes). Built in that context, this server could be
    /// reconfigured as the test host's (Kestrel swapped for a TestServer, so no bound address).
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartEmbeddedAsync(cancellationToken), cancellationToken);
        }
    }

    private async Task StartEmbeddedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var listen = new Uri(options.Value.InternalUrl);
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.Services.AddSingleton(loggerFactory);
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>(); // the main host owns signals and shutdown
            builder.Services.AddRoutingCore();
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Hosting.ApiJsonContext.Default));
            // The handlers use the main application's singletons.
            builder.Services.AddSingleton(node);
            builder.Services.AddSingleton(_ => services.GetRequiredService<ShardRegion>());
            builder.Services.AddSingleton(_ => services.GetRequiredService<IShardedEntities>());
            builder.Services.AddSingleton(_ => services.GetRequiredService<ClusterMessageSerializer>());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = ClusterInternalApi.MaxPayloadBytes;
                void Http2(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions o) => o.Protocols = HttpProtocols.Http2;
                if (listen.IsLoopback && !IPAddress.TryParse(listen.Host, out _))
                {
                    kestrel.ListenLocalhost(listen.Port, Http2);
                }
                else
                {
                    kestrel.Listen(IPAddress.Parse(listen.Host), listen.Port, Http2);
                }
            });
            _app = builder.Build();
            _app.MapClusterInternalApi();
            await _app.StartAsync(cancellationToken);
            var bound = new Uri(_app.Urls.First());
            var advertised = options.Value.AdvertisedUrl is { } configured ? new Uri(configured) : Advertise(bound);
            LogListening(bound, advertised);
            if (string.IsNullOrEmpty(options.Value.Secret))
            {
                LogNoSecret(node.NodeId);
            }

            node.Bound(advertised);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException)
        {
            node.BindFailed(e);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>No console hooks: the main application stops this server from its own shutdown.</summary>
    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A wildcard listen address is not an address to reach: advertise this host's name instead.</summary>
    private static Uri Advertise(Uri bound) =>
        IPAddress.TryParse(bound.Host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))
            ? new UriBuilder(bound) { Host = Dns.GetHostName() }.Uri
            : bound;

    [LoggerMessage(LogLevel.Warning, "Cluster:Secret is not set: node {NodeId} uses a random one, so no other node can forward to it (fine for a lone node)")]
    private partial void LogNoSecret(string nodeId);

    [LoggerMessage(LogLevel.Information, "Cluster internal endpoint (HTTP/2) listening on {Bound}, advertised as {Advertised}")]
    private partial void LogListening(Uri bound, Uri advertised);
}
