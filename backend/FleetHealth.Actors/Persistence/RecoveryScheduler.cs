using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FleetHealth.Actors.Persistence;

/// <summary>
/// Caps concurrent recoveries (a node starting a million sensors must not open a million queries at
/// once). Waiting recoveries cost one queue slot each, not a task or a semaphore waiter.
/// </summary>
internal sealed class RecoveryScheduler(ActorSystem system, int maxConcurrent)
{
    private readonly ConcurrentQueue<Func<Task>> _queue = new();
    private readonly int _max = Math.Max(1, maxConcurrent);
    private int _running;

    /// <summary>Queues a load; it counts as busy work for quiescence until it has run.</summary>
    public void Enqueue(Func<Task> load)
    {
        system.OnScheduled();
        _queue.Enqueue(load);
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
            while (_queue.TryDequeue(out var load))
            {
                try
                {
                    await load().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // Loads report their own failures to their actor; this is a last resort.
                    system.Logger.LogError(exception, "A recovery load failed unexpectedly");
                }
                finally
                {
                    system.OnIdle();
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
