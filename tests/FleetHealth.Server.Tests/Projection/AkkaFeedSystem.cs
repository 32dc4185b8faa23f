using Akka.Actor;
using Akka.Configuration;
using FleetHealth.Domain.Liveness;
using FleetHealth.Fleet;
using FleetHealth.Server.Storage;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>
/// A bare actor system on a test database with the server's journal configuration and the sensor
/// serializer, in the order the host stacks them (overrides, serializer, journal), and writers
/// for its streams: one <see cref="SensorStreamWriter"/> per stream, kept for the system's life.
/// </summary>
internal sealed class AkkaFeedSystem : IAsyncDisposable
{
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(30);
    private readonly Dictionary<string, IActorRef> _writers = new(StringComparer.Ordinal);

    public AkkaFeedSystem(string connectionString, AkkaJournalOptions? options = null, string name = "feed")
    {
        System = ActorSystem.Create(name, ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(SensorEventSerializer.Config)
            .WithFallback(AkkaJournalConfiguration.ToConfig(connectionString, options ?? new AkkaJournalOptions())));
    }

    public ActorSystem System { get; }

    /// <summary>Persists <paramref name="events"/> in stream <c>sensor/{sensorId}</c>; returns its last sequence number.</summary>
    public Task<long> WriteAsync(string sensorId, params SensorEvent[] events) => WriteStreamAsync(SensorActor.PersistenceIdOf(sensorId), events);

    /// <summary>Persists <paramref name="events"/> (any serializable payload) in <paramref name="persistenceId"/>.</summary>
    public async Task<long> WriteStreamAsync(string persistenceId, IReadOnlyList<object> events)
    {
        if (!_writers.TryGetValue(persistenceId, out var writer))
        {
            writer = System.ActorOf(SensorStreamWriter.Props(persistenceId));
            _writers[persistenceId] = writer;
        }

        var written = await writer.Ask<SensorStreamWriter.Written>(new SensorStreamWriter.Write(events), Ask);
        return written.LastSequenceNr;
    }

    public async ValueTask DisposeAsync() => await System.Terminate();
}
