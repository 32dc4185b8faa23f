using Akka.Actor;
using FleetHealth.Fleet;
using FleetHealth.Server.Storage;

namespace FleetHealth.Server.Sharding;

/// <summary>
/// Turns the sensors' <see cref="SensorStorageFailed"/> reports into the storage outage log: an
/// outage is one line when it starts and one with counts when it ends. A failure that is not about
/// reaching the database (a fence refusal, a conflict with another writer) is logged in full.
/// </summary>
internal sealed class StorageFailureReporter : ReceiveActor
{
    public StorageFailureReporter(StorageOutageLog outages, ILogger logger)
    {
        Receive<SensorStorageFailed>(failed =>
        {
            if (!outages.Failed(failed.Kind, failed.Cause))
            {
                logger.LogError(failed.Cause, "Storage failure of {PersistenceId} ({Kind})", failed.PersistenceId, failed.Kind);
            }
        });
    }

    public static Props Props(StorageOutageLog outages, ILogger logger) => Akka.Actor.Props.Create(() => new StorageFailureReporter(outages, logger));
}
