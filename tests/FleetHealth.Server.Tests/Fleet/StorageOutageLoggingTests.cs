using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Tests.Auth;
using FleetHealth.Server.Tests.Hosting;
using FleetHealth.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FleetHealth.Server.Tests.Fleet;

/// <summary>The server reaching PostgreSQL through a proxy the test can cut, every log line captured.</summary>
public sealed class CuttableStorageFactory : FleetHealthFactory
{
    private TcpProxy? _proxy;

    public CapturingLoggerProvider Logs { get; } = new();

    public TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("The server is not built yet.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var direct = new NpgsqlConnectionStringBuilder(ConnectionString);
        _proxy ??= TcpProxy.To(direct.Host!, direct.Port);
        builder.UseSetting("Database:ConnectionString", new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = _proxy.Port, Timeout = 2 }.ConnectionString);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }
}

/// <summary>
/// A storage outage while hundreds of sensors need their actors recovered is logged once when it
/// starts and once when it ends, with counts: not a stack trace per actor (issue 14: 38,500 lines
/// for a 10-second outage).
/// </summary>
public sealed class StorageOutageLoggingTests(CuttableStorageFactory factory) : IClassFixture<CuttableStorageFactory>
{
    private const int Sensors = 500;

    [Fact]
    public async Task An_outage_is_one_line_when_it_starts_and_one_with_counts_when_it_ends()
    {
        using var gateway = factory.CreateIngestClient();
        var beats = Enumerable.Range(0, Sensors).Select(i => new BatchItem($"outage-{i}")).ToList();
        factory.Proxy.Refuse();

        // New sensors: each one's actor must recover from the journal, which cannot be read now.
        using (var during = await gateway.PostAsJsonAsync("/api/v1/heartbeats", beats))
        {
            Assert.NotEqual(System.Net.HttpStatusCode.OK, during.StatusCode);
        }

        await Eventually.Until(() => Task.FromResult(Count("Storage unreachable since")), n => n > 0, TimeSpan.FromSeconds(30), "the outage is logged");
        factory.Proxy.Heal();
        await Eventually.Until(() => Task.FromResult(Count("Storage reachable again")), n => n > 0, TimeSpan.FromSeconds(30), "the end of the outage is logged");

        var lines = factory.Logs.Lines.ToList();
        var outageLines = string.Join('\n', lines.Where(l => l.Contains("Storage ", StringComparison.Ordinal)));
        Assert.True(Count("Storage unreachable since") == 1 && Count("Storage reachable again") == 1, $"one outage, begun and ended once:\n{outageLines}");
        Assert.Matches(@"Storage reachable again after \d+\.\d s; during the outage: .*\d+ ", lines.Single(l => l.Contains("Storage reachable again", StringComparison.Ordinal)));
        // Our own lines and Akka's (a persistence failure per actor is what this replaced), at any level; not the driver's traces.
        var traces = lines.Where(l => Regex.IsMatch(l, @"^\w+ (FleetHealth|Akka)") && (l.Contains("Persistence failure", StringComparison.Ordinal) || l.Contains("\n   at ", StringComparison.Ordinal))).ToList();
        var sources = string.Join(", ", traces.GroupBy(l => string.Join(' ', l.Split(' ', 3).Take(2))).Select(g => $"{g.Key} x{g.Count()}"));
        Assert.True(traces.Count == 0, $"{traces.Count} lines with stack traces ({sources}), the first:\n{traces.FirstOrDefault()}");
    }

    private int Count(string text) => factory.Logs.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));
}
