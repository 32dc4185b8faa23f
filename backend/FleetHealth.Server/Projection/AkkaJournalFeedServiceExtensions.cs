using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetHealth.Server.Projection;

/// <summary>Registration of the read-model projection's Akka feed.</summary>
public static class AkkaJournalFeedServiceExtensions
{
    /// <summary>
    /// Feeds the read-model projection from Akka.Persistence.Query (<see cref="AkkaJournalFeed"/>)
    /// whether called before or after the projection is added. Needs
    /// an <see cref="Akka.Actor.ActorSystem"/> in the container (Akka.Hosting's) whose configuration
    /// has the Sql read journal and the sensor serializer
    /// (<see cref="Storage.AkkaJournalConfiguration"/>, <see cref="FleetHealth.Fleet.SensorEventSerializer"/>).
    /// The offset stays in <c>projection_offsets</c> under the same projection name; the previous
    /// release's orderings were carried into the Akka journal unchanged (migration 0017), so it stays valid.
    /// </summary>
    public static IServiceCollection AddAkkaJournalFeed(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IJournalFeed>(sp => ActivatorUtilities.CreateInstance<AkkaJournalFeed>(sp, TimeProvider.System)));
        return services;
    }
}
