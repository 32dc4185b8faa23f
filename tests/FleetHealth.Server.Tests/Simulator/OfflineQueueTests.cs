using FleetHealth.Simulator;

namespace FleetHealth.Server.Tests.Simulator;

public sealed class OfflineQueueTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"fh-queue-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Beat B(string id, long seq) => new(id, seq, DateTimeOffset.UnixEpoch.AddSeconds(seq), false, 50, -70, "fw");

    [Fact]
    public void Beats_come_back_in_append_order_and_a_chunk_never_holds_a_sensor_twice()
    {
        using var queue = new OfflineQueue(_dir);
        queue.Append([B("a", 1), B("b", 1), B("a", 2), B("c", 1)]);

        var first = queue.Peek(10)!;
        Assert.Equal(["a#1", "b#1"], first.Beats.Select(b => $"{b.SensorId}#{b.Sequence}"));
        queue.Advance(first);
        var second = queue.Peek(10)!;
        Assert.Equal(["a#2", "c#1"], second.Beats.Select(b => $"{b.SensorId}#{b.Sequence}"));
        queue.Advance(second);

        Assert.Null(queue.Peek(10));
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public void A_reopened_queue_resumes_after_what_was_delivered()
    {
        using (var queue = new OfflineQueue(_dir))
        {
            queue.Append([B("a", 1), B("a", 2), B("a", 3)]);
            queue.Advance(queue.Peek(1)!);
            queue.Flush();
        }

        using var reopened = new OfflineQueue(_dir);
        Assert.Equal(2, reopened.Pending);
        Assert.Equal(2, reopened.Peek(10)!.Beats.Single().Sequence);
    }

    [Fact]
    public void A_torn_last_line_is_dropped_on_reopen()
    {
        using (var queue = new OfflineQueue(_dir))
        {
            queue.Append([B("a", 1)]);
            queue.Flush();
        }

        File.AppendAllText(Path.Combine(_dir, "queue.jsonl"), "{\"sensorId\":\"a\",\"seq");

        using var reopened = new OfflineQueue(_dir);
        Assert.Equal(1, reopened.Pending);
        reopened.Append([B("a", 2)]);
        var chunk = reopened.Peek(10)!;
        Assert.Equal([1L], chunk.Beats.Select(b => b.Sequence));
        reopened.Advance(chunk);
        Assert.Equal([2L], reopened.Peek(10)!.Beats.Select(b => b.Sequence));
    }

    [Fact]
    public void A_drained_queue_resets_its_files()
    {
        using var queue = new OfflineQueue(_dir);
        queue.Append([B("a", 1)]);
        queue.Advance(queue.Peek(10)!);
        Assert.Equal(0, new FileInfo(Path.Combine(_dir, "queue.jsonl")).Length);
        Assert.Equal("0", File.ReadAllText(Path.Combine(_dir, "queue.pos")));
    }
}
