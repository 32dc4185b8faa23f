using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetHealth.Server.Ingestion;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>
/// Gateways sending batches at once over kept-alive connections to Kestrel, whose request buffers
/// are pooled and reused by the next read of any connection: every item is stored as its own
/// batch sent it. (A batch read from the request's buffer after the server had taken the buffer
/// back stored other batches' items in its place, answered 202 as duplicates.)
/// </summary>
public sealed class ConcurrentBatchTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    private const int Senders = 8;
    private const int SensorsPerBatch = 5;
    private const int Batches = 150;

    [Fact]
    public async Task Every_item_of_concurrent_batches_is_stored_as_sent()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString);
        await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "ready");
        using var client = await server.TrustedClientAsync();

        var statuses = await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            var refused = new List<HttpStatusCode>();
            for (long seq = 1; seq <= Batches; seq++)
            {
                var batch = Enumerable.Range(0, SensorsPerBatch).Select(i => new BatchItem($"conc-{s}-{i}", seq)).ToList();
                using var response = await client.PostAsJsonAsync("/api/v1/heartbeats", batch);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    refused.Add(response.StatusCode);
                }
            }

            return refused;
        })));
        Assert.All(statuses, Assert.Empty);

        var counts = new List<string>();
        for (var s = 0; s < Senders; s++)
        {
            for (var i = 0; i < SensorsPerBatch; i++)
            {
                using var sensor = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/sensors/conc-{s}-{i}"));
                var count = sensor.RootElement.GetProperty("heartbeatCount").GetInt64();
                if (count != Batches)
                {
                    counts.Add($"conc-{s}-{i}: {count}");
                }
            }
        }

        Assert.True(counts.Count == 0, $"sensors whose beats were not all stored (of {Batches}): {string.Join(", ", counts)}");
    }
}
