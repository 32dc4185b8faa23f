using System.Collections.Concurrent;
using FleetHealth.Simulator;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FleetHealth.Server.Tests.Simulator;

public class HttpBeatTransportTests
{
    [Fact]
    public async Task Beats_are_spread_over_several_servers_in_turn()
    {
        var received = new ConcurrentQueue<int>();
        var servers = new List<WebApplication>();
        var urls = new List<Uri>();
        for (var n = 0; n < 3; n++)
        {
            var node = n;
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            app.MapPost("/api/v1/heartbeats/{id}", (string id) =>
            {
                received.Enqueue(node);
                return Results.Accepted();
            });
            await app.StartAsync();
            servers.Add(app);
            urls.Add(new Uri($"http://127.0.0.1:{port}"));
        }

        try
        {
            await using var transport = new HttpBeatTransport(urls, key: null, batch: 0, concurrency: 4, TextWriter.Null);
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal([Delivery.Delivered], await transport.SendAsync([new Beat($"spread-{i}", i + 1, DateTimeOffset.UtcNow, false, 90, -60, "1.0")], CancellationToken.None));
            }

            Assert.All(received.GroupBy(n => n), g => Assert.Equal(10, g.Count()));
            Assert.Equal(3, received.Distinct().Count());
        }
        finally
        {
            foreach (var app in servers)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public void A_multi_status_batch_answer_is_read_per_item()
    {
        const string json = """
            {"accepted":1,"duplicates":0,"rejected":3,"items":[
              {"index":0,"sensorId":"a","status":202},
              {"index":1,"sensorId":"b","status":503},
              {"index":2,"sensorId":"c","status":400,"errors":{"battery":["…"]}},
              {"index":3,"sensorId":"d","status":429}]}
            """;

        var results = HttpBeatTransport.PerItem(json, 5);

        Assert.Equal([Delivery.Delivered, Delivery.Retry, Delivery.Rejected, Delivery.Retry, Delivery.Retry], results);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"title\":\"x\"}")]
    [InlineData("{\"items\":[{\"index\":\"zero\",\"status\":202}]}")]
    public void An_answer_that_is_not_a_batch_result_is_not_read_per_item(string json) =>
        Assert.Null(HttpBeatTransport.PerItem(json, 1));
}
