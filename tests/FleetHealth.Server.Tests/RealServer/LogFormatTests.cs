using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FleetHealth.Testing;
using Npgsql;

namespace FleetHealth.Server.Tests.RealServer;

/// <summary>The built server's console lines: each one stamped with UTC ISO-8601 time, or a JSON object when configured.</summary>
public sealed partial class LogFormatTests(IsolatedDatabase db) : IClassFixture<IsolatedDatabase>
{
    // Far from UTC, so that a local-time stamp would be 14 hours off.
    private static readonly Dictionary<string, string> FarTimeZone = new() { ["TZ"] = "Pacific/Kiritimati" };

    [Fact]
    public async Task Every_line_starts_with_a_utc_iso_8601_timestamp_also_while_the_database_is_unreachable()
    {
        // No database: the server logs failures (with exceptions) as well as its start.
        var unreachable = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = FreePort.Next(), Timeout = 1 }.ConnectionString;
        await using var server = await ServerProcess.StartAsync(unreachable, FarTimeZone);

        var output = await Eventually.Until(() => Task.FromResult(server.Output), o => o.Contains("Application started", StringComparison.Ordinal) && o.Contains("Storage unreachable since", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the server logs its start and the missing database");

        foreach (var line in Lines(output))
        {
            var stamp = Stamp().Match(line);
            Assert.True(stamp.Success, $"no timestamp: {line}");
            var at = DateTimeOffset.ParseExact(stamp.Groups[1].Value, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        }
    }

    [Fact]
    public async Task A_database_unreachable_at_start_is_logged_once_when_it_starts_and_once_when_it_ends()
    {
        var target = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        await using var proxy = TcpProxy.To(target.Host!, target.Port);
        proxy.Refuse();
        var viaProxy = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Port = proxy.Port, Timeout = 1 }.ConnectionString;
        // Each failure during the outage is one debug line: shown here, so the test can wait for several retries.
        await using var server = await ServerProcess.StartAsync(viaProxy, new Dictionary<string, string> { ["Logging:LogLevel:FleetHealth.Storage"] = "Debug" });
        await Eventually.Until(() => Task.FromResult(server.Output), o => Regex.Count(o, "During the storage outage: schema migrations retried") >= 3,
            TimeSpan.FromSeconds(30), "three failed migration attempts");

        proxy.Heal();
        var output = await Eventually.Until(() => Task.FromResult(server.Output), o => o.Contains("Storage reachable again", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the end of the outage to be logged");

        Assert.Single(Regex.Matches(output, "Storage unreachable since"));
        Assert.DoesNotContain("Database not reachable", output, StringComparison.Ordinal);
        Assert.Matches("during the outage: .*schema migrations retried", output);
    }

    [Fact]
    public async Task With_the_json_formatter_every_line_is_a_json_object_with_a_utc_timestamp()
    {
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, new Dictionary<string, string>(FarTimeZone) { ["Logging:Console:FormatterName"] = "json" });

        var output = await Eventually.Until(() => Task.FromResult(server.Output), o => o.Contains("Application started", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the server logs its start");

        foreach (var line in Lines(output))
        {
            using var entry = JsonDocument.Parse(line);
            var stamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", stamp);
            Assert.InRange(DateTimeOffset.Parse(stamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
        }
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) ")]
    private static partial Regex Stamp();
}
