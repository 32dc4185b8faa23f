using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Persistence;

/// <summary>
/// Runs recovery reads: at most <c>maxConcurrent</c> at once (a node starting a million sensors must
/// not open a million queries), each for every waiting actor up to <c>batchSize</c>, so a burst of
/// wake-ups costs a few round trips per hundreds of actors instead of a few per actor. A lone
/// recovery does not wait for company: a worker takes whatever is queued when it is free.
/// Waiting recoveries cost one queue slot each, not a task or a semaphore waiter.
/// </summary>
internal sealed class RecoveryScheduler(ActorSystem system, int maxConcurrent, int batchSize)
{
    private readonly ConcurrentQueue<PendingRecovery> _queue = new();
    private readonly int _max = Math.Max(1, maxConcurrent);
    private readonly int _batchSize = Math.Max(1, batchSize);
    private int _running;

    /// <summary>Queues an actor's recovery; it counts as busy work for quiescence until it has run.</summary>
    public void Enqueue(Eventsourced actor, string persistenceId)
    {
        system.OnScheduled();
        _queue.Enqueue(new PendingRecovery(actor, persistenceId));
        TryStartWorker();
    }

    private void TryStartWorker()
    {
        while (true)
        {
            var running = Volatile.Read(ref _running);
            if (running >= _max || _queue.IsEmpty)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                _ = Task.Run(RunWorkerAsync);
                return;
            }
        }
    }

    private async Task RunWorkerAsync()
    {
        try
        {
            var batch = new List<PendingRecovery>(_batchSize);
            while (true)
            {
                batch.Clear();
                while (batch.Count < _batchSize && _queue.TryDequeue(out var pending))
                {
                    batch.Add(pending);
                }

                if (batch.Count == 0)
                {
                    break;
                }

                try
                {
                    await Eventsourced.RecoverAsync(batch).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // Loads report their own failures to their actors; this is a last resort.
                    system.Logger.LogError(exception, "A recovery read failed unexpectedly");
                }
                finally
                {
                    foreach (var _ in batch)
                    {
                        system.OnIdle();
                    }
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        TryStartWorker();
    }
}

/// <summary>An actor waiting for its recovery read, with the persistence id it had when it started.</summary>
internal readonly record struct PendingRecovery(Eventsourced Actor, string PersistenceId);
