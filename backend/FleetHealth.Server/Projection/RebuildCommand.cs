using FleetHealth.Database;
using FleetHealth.Server.Fleet;
using FleetHealth.Server.ReadModel;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Projection;

/// <summary>
/// <c>FleetHealth.Server rebuild-read-model</c>: rebuilds the read-model tables from the sensors'
/// snapshots and the journal of the engine configured (<see cref="IRebuildSource"/>) and swaps them in atomically (see <see cref="ReadModelWriter.RebuildAsync(string, IRebuildSource, int, TimeSpan, DateTimeOffset, CancellationToken)"/>), then exits.
/// Safe while nodes run: they keep serving the old tables until the swap.
/// </summary>
public static class RebuildCommand
{
    public const string Name = "rebuild-read-model";

    public static async Task<int> RunAsync(IServiceProvider services)
    {
        await services.GetRequiredService<Migrator>().MigrateAsync();
        var options = services.GetRequiredService<IOptions<ProjectionOptions>>().Value;
        // A writer nobody observes: the container's has the engine's observers, and on Akka.NET resolving
        // them starts the node's actor system (remoting on its port, cluster), which a command must not.
        var offset = await new ReadModelWriter(services.GetRequiredService<NpgsqlDataSource>()).RebuildAsync(
            ReadModelProjectionName.Value,
            services.GetRequiredService<IRebuildSource>(),
            options.BatchSize,
            options.GapRetention,
            services.GetRequiredService<HeartbeatRetention>().KeptFrom(),
            CancellationToken.None);
        Console.WriteLine($"read model rebuilt from the journal up to ordering {offset}");
        return 0;
    }
}
