using System.Diagnostics;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Fleet;
using FleetHealth.Server.Ingestion;
using Npgsql;

namespace FleetHealth.Server.Metrics;

/// <summary>Counts every heartbeat by outcome and times its wait for the durable reply, whatever channel it came by.</summary>
internal sealed class MeteredHeartbeatSink(IHeartbeatSink inner, FleetMetrics metrics) : IHeartbeatSink
{
    public async ValueTask<IngestOutcome> SubmitAsync(Heartbeat heartbeat, string? requiredTag, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        IngestOutcome outcome;
        try
        {
            outcome = await inner.SubmitAsync(heartbeat, requiredTag, cancellationToken);
        }
        catch (Exception e) when (e is IngestUnavailableException or NpgsqlException)
        {
            metrics.HeartbeatUnavailable(Stopwatch.GetElapsedTime(started));
            throw;
        }

        metrics.Heartbeat(outcome, Stopwatch.GetElapsedTime(started));
        return outcome;
    }
}
