using FleetHealth.Actors.Persistence;

namespace FleetHealth.Actors.Tests.Support;

/// <summary>A journal whose writes and replays wait for the test to open a gate, so "in flight" is a state a test can hold.</summary>
public sealed class GatedJournal(IJournal inner) : IJournal
{
    private TaskCompletionSource _writeGate = Open();
    private TaskCompletionSource _replayGate = Open();
    private int _replaysNow;
    private int _maxConcurrentReplays;
    private int _writesWaiting;
    private int _replayReads;

    public int MaxConcurrentReplays => Volatile.Read(ref _maxConcurrentReplays);

    /// <summary>Recovery reads in flight now (held at the replay gate, or reading).</summary>
    public int ReplaysNow => Volatile.Read(ref _replaysNow);

    /// <summary>Recovery reads so far (one read may load many streams).</summary>
    public int ReplayReads => Volatile.Read(ref _replayReads);

    public int WritesWaiting => Volatile.Read(ref _writesWaiting);

    public void CloseWrites() => _writeGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenWrites() => _writeGate.TrySetResult();

    public void CloseReplays() => _replayGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenReplays() => _replayGate.TrySetResult();

    public async Task WriteAsync(AtomicWrite write, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _writesWaiting);
        await _writeGate.Task;
        Interlocked.Decrement(ref _writesWaiting);
        await inner.WriteAsync(write, cancellationToken);
    }

    public Task ReplayAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default) =>
        inner.ReplayAsync(persistenceId, fromSequenceNr, toSequenceNr, onEvent, cancellationToken);

    /// <summary>Recovery's reads: each counts while it waits at the replay gate.</summary>
    public async Task<IReadOnlyDictionary<string, ReplayedStream>> ReplayManyAsync(IReadOnlyCollection<ReplayRequest> requests, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _replayReads);
        var now = Interlocked.Increment(ref _replaysNow);
        int max;
        do
        {
            max = Volatile.Read(ref _maxConcurrentReplays);
        }
        while (now > max && Interlocked.CompareExchange(ref _maxConcurrentReplays, now, max) != max);

        try
        {
            await _replayGate.Task;
            return await inner.ReplayManyAsync(requests, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _replaysNow);
        }
    }

    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken = default) =>
        inner.ReadHighestSequenceNrAsync(persistenceId, cancellationToken);

    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

    private static TaskCompletionSource Open()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
