using FleetHealth.Server.Projection;

namespace FleetHealth.Bench.Projection;

/// <summary>
/// The feed without the read model (<c>--feed-only</c>): takes batches from a cursor as fast as they
/// come and records, per batch, when its last ordering was taken (UTC ticks): the read journal's
/// share of the projection's lag.
/// </summary>
internal static class FeedOnly
{
    private static long _last;

    /// <summary>The last ordering taken.</summary>
    public static long Last => Volatile.Read(ref _last);

    public static async Task<(List<(long At, long Offset)> Taken, long Batches)> RunAsync(IJournalFeed feed, long offset, int batchSize, CancellationToken stop)
    {
        var taken = new List<(long At, long Offset)>();
        long batches = 0;
        await using var cursor = feed.OpenAfter(offset);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = await cursor.NextAsync(batchSize, stop);
                if (batch.Kind == JournalBatchKind.Events)
                {
                    taken.Add((DateTime.UtcNow.Ticks, batch.Through));
                    Volatile.Write(ref _last, batch.Through);
                    batches++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return (taken, batches);
    }
}
