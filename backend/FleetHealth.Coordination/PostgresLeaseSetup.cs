using Akka.Actor.Setup;
using Npgsql;

namespace FleetHealth.Coordination;

/// <summary>
/// Gives every <see cref="PostgresLease"/> of one actor system this data source instead of the
/// <c>connection-string</c> of its configuration (so a host can pass the one it built from its own
/// settings or DI, and no secret has to be written into HOCON). Add it to the system's
/// <see cref="ActorSystemSetup"/>; the caller keeps owning and disposing the data source.
/// </summary>
public sealed class PostgresLeaseSetup(NpgsqlDataSource dataSource) : Setup
{
    public NpgsqlDataSource DataSource { get; } = dataSource;
}
