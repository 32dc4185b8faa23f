using System.Net;
using System.Net.Http.Json;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Tests.Truth;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>A node killed with SIGKILL while heartbeats stream in: after a restart, every acknowledged beat is in the read model exactly once.</summary>
public sealed class CrashRestartTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    [Fact]
    public async Task After_a_sigkill_and_a_restart_every_acknowledged_heartbeat_is_applied_exactly_once()
    {
        var settings = new Dictionary<string, string> { ["Projection:BatchSize"] = "37" }; // many small read-model transactions to interrupt
        var server = await ServerProcess.StartAsync(db.ConnectionString, settings);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string Sensor, long Sequence)>();
        try
        {
            await Eventually.Until(() => server.AnswersAsync("/readyz"), ready => ready, TimeSpan.FromSeconds(30), "ready");
            var client = await server.IngestClientAsync();
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
            {
                for (long seq = 1; !stop.IsCancellationRequested; seq++)
                {
                    var batch = Enumerable.Range(0, 5).Select(i => new BatchItem($"crash-{s}-{i}", seq)).ToList();
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/api/v1/heartbeats", batch);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            batch.ForEach(b => acknowledged.Add((b.SensorId!, seq)));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the node is gone
                    }
                }
            })).ToList();
            await Eventually.Until(() => Task.FromResult(acknowledged.Count), n => n >= 2000, TimeSpan.FromSeconds(60), "heartbeats flowing");
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
            await server.DisposeAsync();

            server = await ServerProcess.StartAsync(db.ConnectionString, settings);
            await Eventually.Until(() => ProjectionLag.EventsAsync(db.DataSource), lag => lag == 0, TimeSpan.FromSeconds(60), "the restarted projection catches up");

            var stored = await ScalarAsync("SELECT count(*) FROM heartbeats WHERE sensor_id LIKE 'crash-%'");
            Assert.Equal(await new SensorJournal(db.DataSource).HeartbeatsAsync("crash-"), stored);
            Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM (SELECT 1 FROM heartbeats WHERE sensor_id LIKE 'crash-%' GROUP BY sensor_id, sequence HAVING count(*) > 1) d"));
            Assert.Equal(stored, await ScalarAsync("SELECT coalesce(sum(heartbeat_count), 0)::bigint FROM sensors WHERE sensor_id LIKE 'crash-%'"));
            var missing = 0;
            foreach (var (sensor, sequence) in acknowledged)
            {
                await using var command = db.DataSource.CreateCommand("SELECT count(*) FROM heartbeats WHERE sensor_id = $1 AND sequence = $2");
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sensor });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
                missing += (long)(await command.ExecuteScalarAsync())! == 1 ? 0 : 1;
            }

            Assert.Equal(0, missing);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = db.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
