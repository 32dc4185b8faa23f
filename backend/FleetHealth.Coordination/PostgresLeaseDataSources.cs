using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Npgsql;

namespace FleetHealth.Coordination;

/// <summary>
/// One <see cref="NpgsqlDataSource"/> per connection string and actor system, shared by all its
/// leases (sharding creates one lease per shard: they must not open a pool each), disposed when
/// the system terminates. A <see cref="PostgresLeaseSetup"/> overrides the configured string.
/// </summary>
internal sealed class PostgresLeaseDataSources : IExtension
{
    private readonly ConcurrentDictionary<string, Lazy<NpgsqlDataSource>> _sources = new();
    private readonly NpgsqlDataSource? _fromSetup;

    private PostgresLeaseDataSources(ExtendedActorSystem system)
    {
        var setup = system.Settings.Setup.Get<PostgresLeaseSetup>();
        _fromSetup = setup.HasValue ? setup.Value.DataSource : null;
        system.RegisterOnTermination(() =>
        {
            foreach (var source in _sources.Values.Where(s => s.IsValueCreated))
            {
                source.Value.Dispose();
            }
        });
    }

    public static PostgresLeaseDataSources Get(ActorSystem system) => system.WithExtension<PostgresLeaseDataSources, Provider>();

    public NpgsqlDataSource For(Config leaseConfig)
    {
        if (_fromSetup is not null)
        {
            return _fromSetup;
        }

        var connectionString = leaseConfig.GetString("connection-string", null);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ConfigurationException(
                "PostgresLease needs a connection-string in its configuration block or a PostgresLeaseSetup in the actor system's setup");
        }

        return _sources.GetOrAdd(connectionString, s => new Lazy<NpgsqlDataSource>(() => NpgsqlDataSource.Create(s))).Value;
    }

    private sealed class Provider : ExtensionIdProvider<PostgresLeaseDataSources>
    {
        public override PostgresLeaseDataSources CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
