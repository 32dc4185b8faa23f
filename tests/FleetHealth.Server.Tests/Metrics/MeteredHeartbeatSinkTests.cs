using System.Diagnostics.Metrics;
using System.Net;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Sensors;
using FleetHealth.Fleet;
using FleetHealth.Server.Ingestion;
using FleetHealth.Server.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace FleetHealth.Server.Tests.Metrics;

/// <summary>The ingest metrics around the heartbeat sink, and the loopback rule of scrapes.</summary>
public sealed class MeteredHeartbeatSinkTests
{
    [Fact]
    public async Task A_failing_metrics_listener_does_not_fail_the_heartbeat_it_measures()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new FleetMetrics(services.GetRequiredService<IMeterFactory>());
        var measured = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == metrics.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, _, _) =>
        {
            measured++;
            throw new InvalidOperationException("a broken exporter");
        });
        listener.Start();
        var sink = new MeteredHeartbeatSink(new FixedSink(IngestOutcome.Accepted), metrics);

        var outcome = await sink.SubmitAsync(Beat(), null, CancellationToken.None);

        Assert.Equal(IngestOutcome.Accepted, outcome);
        Assert.Equal(1, measured);
    }

    [Fact]
    public async Task Heartbeats_are_counted_by_outcome_and_a_storage_failure_still_reaches_the_caller()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new FleetMetrics(services.GetRequiredService<IMeterFactory>());
        var outcomes = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == metrics.Meter && instrument.Name == "fleethealth.ingest.heartbeats")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => outcomes.Add((string)tags[0].Value!));
        listener.Start();

        await new MeteredHeartbeatSink(new FixedSink(IngestOutcome.Duplicate), metrics).SubmitAsync(Beat(), null, CancellationToken.None);
        await Assert.ThrowsAsync<IngestUnavailableException>(() =>
            new MeteredHeartbeatSink(new FixedSink(null), metrics).SubmitAsync(Beat(), null, CancellationToken.None).AsTask());

        Assert.Equal(["duplicate", "unavailable"], outcomes);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.7", false)]
    [InlineData("::ffff:192.0.2.1", false)]
    [InlineData("2001:db8::1", false)]
    public void Only_loopback_addresses_may_scrape_without_a_token(string address, bool allowed) =>
        Assert.Equal(allowed, MetricsAccess.IsLoopback(IPAddress.Parse(address)));

    [Fact]
    public void A_connection_without_an_address_may_not_scrape_without_a_token() => Assert.False(MetricsAccess.IsLoopback(null));

    private static Heartbeat Beat() =>
        new(SensorId.TryParse("metered-1", out var id, out _) ? id : throw new InvalidOperationException(), DateTimeOffset.UtcNow, 1);

    /// <summary>Answers <c>outcome</c>, or throws as a storage outage when it is null.</summary>
    private sealed class FixedSink(IngestOutcome? outcome) : IHeartbeatSink
    {
        public ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken) =>
            outcome is { } o ? ValueTask.FromResult(o) : throw new IngestUnavailableException("down", new TimeoutException());
    }
}
