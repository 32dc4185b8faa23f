using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace FleetHealth.Bench.Ingest;

/// <summary>Result of a closed-loop run: how many requests got the expected status, and how many did not.</summary>
internal readonly record struct Throughput(long Ok, long Failed, TimeSpan Elapsed)
{
    public double PerSecond => Ok / Elapsed.TotalSeconds;
}

/// <summary>
/// HTTP load over loopback with keep-alive connections. Closed loop measures the peak (each
/// connection sends its next request when the last is answered); open loop measures latency at a
/// fixed rate, timed from each request's scheduled start so that a stalled server cannot hide its
/// queueing (no coordinated omission).
/// </summary>
/// <param name="baseAddress">The server.</param>
/// <param name="connections">Keep-alive connections, one request in flight on each.</param>
/// <param name="ingestKey">Sent as <c>Authorization: Bearer</c> on every request; null for the bare endpoint.</param>
internal sealed class LoadGenerator(Uri baseAddress, int connections, string? ingestKey = null) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = ingestKey is null ? null : new AuthenticationHeaderValue("Bearer", ingestKey) },
    };

    /// <summary>Sends exactly <paramref name="count"/> requests, as fast as answers come back.</summary>
    public Task<Throughput> ClosedLoopAsync(Func<long, HttpRequestMessage> request, long count, HttpStatusCode expected) =>
        ClosedLoopAsync(request, TimeSpan.MaxValue, count, expected);

    private async Task<Throughput> ClosedLoopAsync(Func<long, HttpRequestMessage> request, TimeSpan duration, long count, HttpStatusCode expected)
    {
        long next = 0, ok = 0, failed = 0;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async _ =>
        {
            while (stopwatch.Elapsed < duration)
            {
                var index = Interlocked.Increment(ref next);
                if (index > count)
                {
                    break;
                }

                using var message = request(index);
                try
                {
                    using var response = await _client.SendAsync(message);
                    Interlocked.Increment(ref response.StatusCode == expected ? ref ok : ref failed);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        });
        await Task.WhenAll(workers);
        return new Throughput(ok, failed, stopwatch.Elapsed);
    }

    /// <summary>Sends <paramref name="rate"/> requests per second for <paramref name="duration"/>; returns latencies in ms, sorted.</summary>
    public async Task<(double[] LatenciesMs, long Failed)> OpenLoopAsync(Func<long, HttpRequestMessage> request, double rate, TimeSpan duration, HttpStatusCode expected)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        long failed = 0;
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        var stopwatch = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            var scheduled = TimeSpan.FromSeconds(i / rate);
            var wait = scheduled - stopwatch.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            inFlight.Add(Task.Run(async () =>
            {
                using var message = request(index);
                try
                {
                    using var response = await _client.SendAsync(message);
                    if (response.StatusCode != expected)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }

                latencies[index] = (stopwatch.Elapsed - scheduled).TotalMilliseconds;
            }));
        }

        await Task.WhenAll(inFlight);
        Array.Sort(latencies);
        return (latencies, failed);
    }

    public static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public void Dispose() => _client.Dispose();
}
