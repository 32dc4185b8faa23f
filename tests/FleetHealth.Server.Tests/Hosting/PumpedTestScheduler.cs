using System.Diagnostics;
using Akka.TestKit;

namespace FleetHealth.Server.Tests.Hosting;

/// <summary>
/// Akka's <see cref="TestScheduler"/> as the server's scheduler, moved two ways: by the test, by the
/// same amounts as its <see cref="FleetHealth.Testing.VirtualClock"/> (a sensor arms its timer
/// for "deadline − now" read on that clock, so the timer fires when the clock reaches the deadline),
/// and, while the test is not holding it, by a pump that follows real time, so Akka's own timers
/// (cluster ticks, shard-lease renewals, retries, shutdown phases, stream polling) run as on a real
/// scheduler.
/// </summary>
/// <remarks>
/// The pump only ever puts the scheduler ahead of the clock, never behind it: a sensor's timer may
/// fire early, which the sensor decides as "nothing due yet" and re-arms from its clock, but none
/// fires late. A test holds the pump (<see cref="HoldAsync"/>) while it moves time and waits for the
/// sensors, so no early tick is being handled while the clock moves. The pump has a thread of its
/// own, as Akka's real scheduler does: it keeps time while the thread pool is starved (Akka's shards
/// block a pool thread each on their lease's release when they stop).
/// </remarks>
internal sealed class PumpedTestScheduler : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private readonly TestScheduler _scheduler;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _pump;
    private Exception? _fault;
    private int _disposed;

    public PumpedTestScheduler(TestScheduler scheduler)
    {
        _scheduler = scheduler;
        _pump = new Thread(Pump) { IsBackground = true, Name = "test-scheduler-pump" };
        _pump.Start();
    }

    /// <summary>Stops the pump until the returned handle is disposed; <see cref="Advance"/> is for the holder only.</summary>
    public async Task<IDisposable> HoldAsync()
    {
        await _turn.WaitAsync();
        return new Hold(_turn);
    }

    /// <summary>Moves the scheduler on and sends every timer message that became due before it returns.</summary>
    public void Advance(TimeSpan by) => _scheduler.Advance(by);

    /// <summary>Stops the pump (call once the actor system has terminated); rethrows what a scheduled action threw in it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        _pump.Join();
        _stop.Dispose();
        if (_fault is not null)
        {
            throw new InvalidOperationException("A scheduled action threw in the scheduler's pump.", _fault);
        }
    }

    private void Pump()
    {
        var last = Stopwatch.GetTimestamp();
        try
        {
            // A timer's period, not a wait for a condition.
            while (!_stop.Token.WaitHandle.WaitOne(Period))
            {
                _turn.Wait(_stop.Token);
                try
                {
                    // Real time since the last move, the time held included: Akka's own timers catch up.
                    var now = Stopwatch.GetTimestamp();
                    _scheduler.Advance(Stopwatch.GetElapsedTime(last, now));
                    last = now;
                }
                finally
                {
                    _turn.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _fault = e;
        }
    }

    private sealed class Hold(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
