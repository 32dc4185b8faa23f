using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace FleetHealth.Server.Cluster;

/// <summary>
/// The internal channel: one message to the node that owns its shard, over HTTP/2 without TLS
/// (prior knowledge, multiplexed on few connections), authenticated by the cluster secret.
/// The owner answers only once its actor replied, i.e. after the event is durable.
/// </summary>
internal sealed class ClusterTransport : IDisposable
{
    public const string SecretHeader = "X-FleetHealth-Cluster-Secret";
    public const string ManifestHeader = "X-FleetHealth-Manifest";
    public const string TimeoutHeader = "X-FleetHealth-Timeout-Ms";
    public const string ResidentOnlyHeader = "X-FleetHealth-Resident-Only";
    public const int MisdirectedStatus = StatusCodes.Status421MisdirectedRequest;

    private readonly HttpClient _client;
    private readonly ClusterNode _node;
    private readonly ClusterMessageSerializer _serializer;

    public ClusterTransport(ClusterNode node, ClusterMessageSerializer serializer, ClusterOptions options)
    {
        _node = node;
        _serializer = serializer;
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(options.ForwardConnectTimeoutMilliseconds),
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            KeepAlivePingDelay = TimeSpan.FromSeconds(5),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Sends <paramref name="message"/> for <paramref name="entityId"/> to <paramref name="home"/> and waits at most <paramref name="timeout"/>.</summary>
    public async Task<ForwardResult> SendAsync(ShardHome home, string entityId, object message, bool residentOnly, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var payload = _serializer.Serialize(message, out var manifest);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(home.Address, $"internal/v1/entities/{Uri.EscapeDataString(entityId)}"))
        {
            Content = new ByteArrayContent(payload),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SecretHeader, _node.Secret);
        request.Headers.Add(ManifestHeader, manifest);
        request.Headers.Add(TimeoutHeader, ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (residentOnly)
        {
            request.Headers.Add(ResidentOnlyHeader, "1");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            switch ((int)response.StatusCode)
            {
                case StatusCodes.Status200OK:
                    var replyManifest = response.Headers.TryGetValues(ManifestHeader, out var values) ? values.FirstOrDefault() : null;
                    var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                    var reply = replyManifest is null ? null : _serializer.TryDeserialize(replyManifest, body, out _);
                    return reply is null ? ForwardResult.Failed($"{home.NodeId} sent an unreadable reply") : ForwardResult.Replied(reply);
                case StatusCodes.Status204NoContent:
                    return ForwardResult.Replied(null);
                case MisdirectedStatus:
                    return ForwardResult.NotOwner;
                case StatusCodes.Status503ServiceUnavailable:
                    return ForwardResult.Failed($"{home.NodeId} could not make it durable in time");
                default:
                    var problem = await response.Content.ReadAsStringAsync(deadline.Token);
                    return ForwardResult.Failed($"{home.NodeId} answered {(int)response.StatusCode}: {problem[..Math.Min(problem.Length, 300)]}");
            }
        }
        catch (HttpRequestException e)
        {
            // Not connected, or the connection broke: the owner may be dead. The sender asks again
            // once the shard has a live owner (a duplicate is recognised by its sequence number).
            return ForwardResult.Unreachable(e.Message);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ForwardResult.Failed($"{home.NodeId} did not answer in time");
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>How a forward ended: a reply (null: the entity was not resident), the node was not the owner (ask again), it was unreachable (ask again), or it failed for good.</summary>
internal sealed record ForwardResult(ForwardOutcome Outcome, object? Reply, string? Error)
{
    public static ForwardResult NotOwner { get; } = new(ForwardOutcome.NotOwner, null, null);

    public static ForwardResult Replied(object? reply) => new(ForwardOutcome.Replied, reply, null);

    public static ForwardResult Unreachable(string error) => new(ForwardOutcome.Unreachable, null, error);

    public static ForwardResult Failed(string error) => new(ForwardOutcome.Failed, null, error);
}

internal enum ForwardOutcome
{
    Replied,
    NotOwner,
    Unreachable,
    Failed,
}
