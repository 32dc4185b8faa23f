using System.Net;
using System.Net.Http.Headers;

namespace FleetHealth.Simulator;

/// <summary>
/// One pooled, keep-alive HttpClient for the whole fleet; single beats go to
/// <c>POST /api/v1/heartbeats/{id}</c>, batches to <c>POST /api/v1/heartbeats</c>.
/// </summary>
internal sealed class HttpBeatTransport : IBeatTransport
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _client;
    private readonly bool _batch;
    private readonly TextWriter _log;
    private long _rejectionsLogged;

    public HttpBeatTransport(Uri baseAddress, string? key, int batch, int concurrency, TextWriter log)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(15) };
        if (key is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _batch = batch > 0;
        MaxBatch = Math.Max(1, batch);
        _log = log;
    }

    public int MaxBatch { get; }

    public async Task<Delivery> SendAsync(IReadOnlyList<Beat> beats, CancellationToken cancellationToken)
    {
        var path = _batch ? "api/v1/heartbeats" : $"api/v1/heartbeats/{beats[0].SensorId}";
        using var content = new ByteArrayContent(Beat.ToJson(beats, asArray: _batch));
        content.Headers.ContentType = Json;
        try
        {
            using var response = await _client.PostAsync(path, content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return Delivery.Delivered;
            }

            var code = (int)response.StatusCode;
            if (code is 429 or >= 500)
            {
                return Delivery.Retry;
            }

            if (Interlocked.Increment(ref _rejectionsLogged) <= 20)
            {
                var detail = await response.Content.ReadAsStringAsync(cancellationToken);
                await _log.WriteLineAsync($"rejected {beats.Count} beat(s) starting with {beats[0].SensorId}#{beats[0].Sequence}: {code} {Truncate(detail)}");
            }

            return Delivery.Rejected;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            // Unreachable, reset, timed out or stopping: not acknowledged, so the beat is kept.
            return Delivery.Retry;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
