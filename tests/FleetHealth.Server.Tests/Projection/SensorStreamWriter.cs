using Akka.Actor;
using Akka.Persistence;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// A persistent actor that writes the events it is given to its stream, as they are (a sensor's
/// actor decides its events; here the test does), and replies once they are in the journal.
/// </summary>
internal sealed class SensorStreamWriter : ReceivePersistentActor
{
    public SensorStreamWriter(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<object>(_ => { });
        Command<Write>(write =>
        {
            var replyTo = Sender;
            PersistAll(write.Events, _ => { });
            // Runs after the handlers of every event above: all of them are durable.
            DeferAsync(write, _ => replyTo.Tell(new Written(LastSequenceNr)));
        });
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new SensorStreamWriter(persistenceId));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        throw new InvalidOperationException($"The test's journal write of {PersistenceId} #{sequenceNr} failed.", cause);

    public sealed record Write(IReadOnlyList<object> Events);

    public sealed record Written(long LastSequenceNr);
}
