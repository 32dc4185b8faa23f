using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using FleetHealth.Fleet;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;

namespace FleetHealth.Server.Tests.Upgrade;

/// <summary>
/// The Akka release's Sql read journal on a database, as the projection will read it. A system of
/// its own on real time: the read journal's sequence retrieval runs on the scheduler's timers, and
/// under a test scheduler that is never advanced its queries would never complete.
/// </summary>
internal sealed class AkkaReadJournal(string connectionString) : IAsyncDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly ActorSystem _system = ActorSystem.Create(
        "upgrade-query",
        SensorEventSerializer.Config.WithFallback(AkkaJournalConfiguration.ToConfig(connectionString, new AkkaJournalOptions())));

    /// <summary>
    /// Every event <c>CurrentAllEvents</c> delivers after <paramref name="offset"/> (an ordering), as
    /// (ordering, persistence id, sequence number, event), once a query returns at least
    /// <paramref name="expected"/> of them (the sequence retrieval first steps past the journal's holes).
    /// </summary>
    public Task<List<(long Ordering, string PersistenceId, long SequenceNr, object Event)>> AllEventsAfterAsync(long offset, int expected)
    {
        var journal = PersistenceQuery.Get(_system).ReadJournalFor<SqlReadJournal>(AkkaJournalConfiguration.ReadJournalPluginId);
        return Eventually.Until(
            async () =>
            {
                var envelopes = await journal.CurrentAllEvents(Offset.Sequence(offset)).RunWith(Sink.Seq<EventEnvelope>(), _system.Materializer()).WaitAsync(Within);
                return envelopes.Select(e => (((Sequence)e.Offset).Value, e.PersistenceId, e.SequenceNr, e.Event)).ToList();
            },
            events => events.Count >= expected,
            Within,
            $"the read journal delivers {expected} events after ordering {offset}");
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().WaitAsync(Within);
}
