using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace FleetHealth.Simulator;

/// <summary>
/// One pooled, keep-alive HttpClient for the whole fleet; single beats go to
/// <c>POST /api/v1/heartbeats/{id}</c>, batches to <c>POST /api/v1/heartbeats</c>. With several
/// servers (nodes of a cluster) each request goes to the next one in turn, so a beat retried after
/// a node died reaches another node.
/// </summary>
internal sealed class HttpBeatTransport : IBeatTransport
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly IReadOnlyList<Uri> _servers;
    private readonly bool _batch;
    private int _next;
    private readonly TextWriter _log;
    private long _rejectionsLogged;

    public HttpBeatTransport(Uri baseAddress, string? key, int batch, int concurrency, TextWriter log)
        : this([baseAddress], key, batch, concurrency, log)
    {
    }

    public HttpBeatTransport(IReadOnlyList<Uri> servers, string? key, int batch, int concurrency, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        _servers = servers;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
        if (key is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _batch = batch > 0;
        MaxBatch = Math.Max(1, batch);
        _log = log;
    }

    public int MaxBatch { get; }

    public async Task<Delivery[]> SendAsync(IReadOnlyList<Beat> beats, CancellationToken cancellationToken)
    {
        var path = _batch ? "api/v1/heartbeats" : $"api/v1/heartbeats/{beats[0].SensorId}";
        using var content = new ByteArrayContent(Beat.ToJson(beats, asArray: _batch));
        content.Headers.ContentType = Json;
        try
        {
            var server = _servers[(int)((uint)Interlocked.Increment(ref _next) % (uint)_servers.Count)];
            using var response = await _client.PostAsync(new Uri(server, path), content, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return Same(beats.Count, Delivery.Delivered);
            }

            if (code is 429 or >= 500)
            {
                return Same(beats.Count, Delivery.Retry);
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            if (_batch && response.StatusCode == HttpStatusCode.MultiStatus && PerItem(detail, beats.Count) is { } items)
            {
                // Some items were not accepted: each says its own status.
                if (items.Contains(Delivery.Rejected))
                {
                    await LogRejectionAsync(beats, code, detail);
                }

                return items;
            }

            await LogRejectionAsync(beats, code, detail);
            return Same(beats.Count, Delivery.Rejected);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // Unreachable, reset, timed out or stopping: not acknowledged, so the beat is kept.
            return Same(beats.Count, Delivery.Retry);
        }
    }

    /// <summary>Reads a 207 batch answer (<c>{"items":[{"index":0,"status":202},…]}</c>); null if it is not one.</summary>
    internal static Delivery[]? PerItem(string json, int count)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            // Anything the answer does not mention was not acknowledged: keep it.
            var result = Same(count, Delivery.Retry);
            foreach (var item in items.EnumerateArray())
            {
                var index = item.GetProperty("index").GetInt32();
                var status = item.GetProperty("status").GetInt32();
                if (index >= 0 && index < count)
                {
                    result[index] = status == 202 ? Delivery.Delivered
                        : status is 429 or >= 500 ? Delivery.Retry
                        : Delivery.Rejected;
                }
            }

            return result;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static Delivery[] Same(int count, Delivery delivery) => Enumerable.Repeat(delivery, count).ToArray();

    private async Task LogRejectionAsync(IReadOnlyList<Beat> beats, int code, string detail)
    {
        if (Interlocked.Increment(ref _rejectionsLogged) <= 20)
        {
            await _log.WriteLineAsync($"rejected: {code} for {beats.Count} beat(s) starting with {beats[0].SensorId}#{beats[0].Sequence}: {Truncate(detail)}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
