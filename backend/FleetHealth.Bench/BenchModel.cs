using System.Text.Json.Serialization;
using FleetHealth.Actors;
using FleetHealth.Actors.Persistence;

namespace FleetHealth.Bench;

/// <summary>An event about the size of a sensor heartbeat.</summary>
internal sealed record BeatRecorded(long Sequence, DateTimeOffset ReceivedAt, double Battery, string Status);

[JsonSerializable(typeof(BeatRecorded))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary>Counts messages; tells the shared countdown when its share has arrived.</summary>
internal sealed class CountingActor(int expected, Countdown done) : ActorBase
{
    private int _count;

    protected override void OnReceive(object message)
    {
        if (++_count == expected)
        {
            done.Signal();
        }
    }
}

/// <summary>An idle actor that arms one timer and then waits, as a sensor waiting for its next heartbeat does.</summary>
internal sealed class IdleActor : ActorBase
{
    public static readonly object Deadline = new();

    protected override void PreStart() => Timers.StartSingleTimer(Deadline, Deadline, TimeSpan.FromHours(1));

    protected override void OnReceive(object message)
    {
    }
}

internal sealed record Go(int Events);

/// <summary>Persists its events one after the other (each waits for durability), like a busy sensor.</summary>
internal sealed class PersistingActor(Countdown done) : PersistentActor
{
    private int _remaining;

    protected override void ReceiveRecover(object message)
    {
    }

    protected override void ReceiveCommand(object message)
    {
        switch (message)
        {
            case Go go:
                _remaining = go.Events;
                Next();
                break;
            case "ping":
                Sender.Tell("pong", Self);
                break;
        }
    }

    private void Next() => Persist(new BeatRecorded(LastSequenceNr + 1, DateTimeOffset.UtcNow, 3.61, "ok"), _ =>
    {
        if (--_remaining > 0)
        {
            Next();
        }
        else
        {
            done.Signal();
        }
    });
}

/// <summary>Completes when signalled <c>count</c> times.</summary>
internal sealed class Countdown(int count)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining = count;

    public Task Task => _done.Task;

    public void Signal()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.SetResult();
        }
    }
}
