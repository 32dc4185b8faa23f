using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FleetHealth.Server.Tests.Storage;

/// <summary>A storage outage is one line when it starts and one when it ends, with counts, not a stack trace per failure.</summary>
public sealed class StorageOutageLogTests
{
    private readonly VirtualClock _clock = new();
    private readonly ListLoggerFactory _logs = new();

    private StorageOutageLog Create() => new(_logs.CreateLogger("storage"), _clock);

    private List<string> Above(LogLevel level) => [.. _logs.Entries.Where(e => e.Level >= level).Select(e => e.Message)];

    private static NpgsqlException Refused() => new("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));

    [Fact]
    public void The_first_failure_says_since_when_and_why_the_rest_only_count_and_the_first_success_sums_up()
    {
        var outages = Create();

        Assert.True(outages.Failed("actor recoveries failed", Refused()));
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True(outages.Failed("actor recoveries failed", Refused()));
        Assert.True(outages.Failed("journal batches failed", new TimeoutException("Timeout during reading attempt")));
        Assert.True(outages.Failed("actor recoveries failed", Refused()));
        _clock.Advance(TimeSpan.FromSeconds(8));
        outages.Succeeded();
        outages.Succeeded();

        var lines = Above(LogLevel.Information);
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("Storage unreachable since 2026-01-01T00:00:00.000Z (first error: actor recoveries failed: Failed to connect to 127.0.0.1:5432", lines[0], StringComparison.Ordinal);
        Assert.Equal("Storage reachable again after 12.0 s; during the outage: 3 actor recoveries failed, 1 journal batches failed", lines[1]);
        Assert.All(_logs.Entries, e => Assert.Null(e.Exception));
        Assert.False(outages.IsOutage);
    }

    [Fact]
    public void A_failure_that_is_not_about_reaching_storage_is_left_to_the_caller_to_log_in_full()
    {
        var outages = Create();

        Assert.False(outages.Failed("actor recoveries failed", new InvalidOperationException("a bug")));
        Assert.False(outages.Failed("actor recoveries failed", new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        outages.Succeeded();

        Assert.Empty(_logs.Entries);
        Assert.False(outages.IsOutage);
    }

    [Fact]
    public void A_second_outage_starts_its_counts_afresh()
    {
        var outages = Create();
        outages.Failed("journal batches failed", Refused());
        outages.Succeeded();

        _clock.Advance(TimeSpan.FromMinutes(1));
        outages.Failed("snapshots failed", Refused());
        _clock.Advance(TimeSpan.FromSeconds(2));
        outages.Succeeded();

        var lines = Above(LogLevel.Information);
        Assert.Equal(4, lines.Count);
        Assert.StartsWith("Storage unreachable since 2026-01-01T00:01:00.000Z", lines[2], StringComparison.Ordinal);
        Assert.Equal("Storage reachable again after 2.0 s; during the outage: 1 snapshots failed", lines[3]);
    }
}
