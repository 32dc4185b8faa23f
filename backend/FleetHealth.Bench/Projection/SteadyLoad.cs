using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Persistence;
using FleetHealth.Domain.Heartbeats;
using FleetHealth.Domain.Liveness;

namespace FleetHealth.Bench.Projection;

/// <summary>
/// Sensors' persistent actors (<c>sensor/bench-{i}</c>) that persist one heartbeat per command, and an
/// open-loop sender of those commands at a fixed rate, round-robin (the schedule does not wait for
/// the journal). Each persist's acknowledgement time is kept (UTC ticks) by stream and sequence number.
/// </summary>
internal sealed class SteadyLoad
{
    private readonly List<IActorRef> _sensors;
    private readonly ConcurrentDictionary<(string, long), long> _acknowledged;
    private SteadyLoad(List<IActorRef> sensors, ConcurrentDictionary<(string, long), long> acknowledged)
    {
        _sensors = sensors;
        _acknowledged = acknowledged;
    }

    /// <summary>Starts <paramref name="count"/> sensors and waits until all have recovered (a resident fleet).</summary>
    public static async Task<SteadyLoad> StartAsync(ActorSystem system, int count)
    {
        var acknowledged = new ConcurrentDictionary<(string, long), long>();
        var recovered = new CountdownEvent(count);
        var sensors = Enumerable.Range(0, count)
            .Select(i => system.ActorOf(Props.Create(() => new Beater("sensor/bench-" + i.ToString(CultureInfo.InvariantCulture), recovered, acknowledged))))
            .ToList();
        await Task.Run(() => recovered.Wait(TimeSpan.FromMinutes(2)));
        return new SteadyLoad(sensors, acknowledged);
    }

    /// <summary>Sends <paramref name="rate"/> commands a second for <paramref name="duration"/>; returns how many were sent.</summary>
    public async Task<long> RunAsync(int rate, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var next = 0;
        while (clock.Elapsed < duration)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                _sensors[next].Tell(Beater.Go.Instance);
                next = (next + 1) % _sensors.Count;
            }

            await Task.Delay(1);
        }

        return sent;
    }

    public async Task AllAcknowledgedAsync(long sent, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (_acknowledged.Count < sent && clock.Elapsed < within)
        {
            await Task.Delay(10);
        }
    }

    public long? AcknowledgedAt(string persistenceId, long sequenceNr) =>
        _acknowledged.TryGetValue((persistenceId, sequenceNr), out var at) ? at : null;

    private sealed class Beater : ReceivePersistentActor
    {
        public Beater(string persistenceId, CountdownEvent recovered, ConcurrentDictionary<(string, long), long> acknowledged)
        {
            PersistenceId = persistenceId;
            Recover<RecoveryCompleted>(_ => recovered.Signal());
            Recover<SensorEvent>(_ => { });
            // One event per command, as a sensor's beat: Persist stashes the next command until this one is written.
            Command<Go>(_ => Persist(
                new HeartbeatRecorded(DateTimeOffset.UtcNow, LastSequenceNr + 1, null, ReportedStatus.Ok, 0.9, -60, null, null, false, 0, 0, false),
                _ => acknowledged[(PersistenceId, LastSequenceNr)] = DateTime.UtcNow.Ticks));
        }

        public override string PersistenceId { get; }

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
            throw new InvalidOperationException("The benchmark's journal writes must not be rejected.", cause);

        public sealed class Go
        {
            public static readonly Go Instance = new();
        }
    }
}
