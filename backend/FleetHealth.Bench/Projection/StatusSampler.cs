using FleetHealth.Server.Projection;

namespace FleetHealth.Bench.Projection;

/// <summary>Samples the projection's status: its offset every millisecond (when it moved, UTC ticks), its lag age every 100 ms (with the time, UTC ticks).</summary>
internal static class StatusSampler
{
    public static async Task<(List<(long At, long Offset)> Offsets, List<(long At, double AgeMs)> StatusAges, long OffsetSteps)> RunAsync(ReadModelProjection projection, CancellationToken stop)
    {
        var offsets = new List<(long At, long Offset)>();
        var ages = new List<(long At, double AgeMs)>();
        long steps = 0;
        var last = -1L;
        var nextAge = DateTime.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            var status = projection.Status;
            var now = DateTime.UtcNow;
            if (status.Offset != last)
            {
                offsets.Add((now.Ticks, status.Offset));
                last = status.Offset;
                steps++;
            }

            if (now >= nextAge)
            {
                ages.Add((now.Ticks, status.OldestUnappliedAgeMs));
                nextAge = now.AddMilliseconds(100);
            }

            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (offsets, ages, steps);
    }
}
