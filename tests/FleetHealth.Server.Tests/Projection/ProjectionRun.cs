using FleetHealth.Server.Projection;
using FleetHealth.Server.ReadModel;
using FleetHealth.Server.Storage;
using FleetHealth.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FleetHealth.Server.Tests.Projection;

/// <summary>The read-model projection service over a given feed, started as the host would start it, stopped on disposal.</summary>
internal sealed class ProjectionRun : IAsyncDisposable
{
    private readonly IJournalFeed _feed;

    private ProjectionRun(ReadModelProjection projection, IJournalFeed feed)
    {
        Projection = projection;
        _feed = feed;
    }

    public ReadModelProjection Projection { get; }

    public ProjectionStatus Status => Projection.Status;

    public static async Task<ProjectionRun> StartAsync(NpgsqlDataSource db, Func<ReadModelWriter, IOptions<ProjectionOptions>, IJournalFeed> feed, ProjectionOptions? settings = null)
    {
        var readiness = new DatabaseReadiness();
        readiness.MarkMigrated();
        var options = Options.Create(settings ?? new ProjectionOptions());
        var writer = new ReadModelWriter(db);
        var chosen = feed(writer, options);
        var projection = new ReadModelProjection(
            chosen,
            writer,
            db,
            readiness,
            new HeartbeatRetention(Options.Create(new ReadModelOptions { HeartbeatRetentionDays = 3650 }), TimeProvider.System),
            options,
            TimeProvider.System,
            new StorageOutageLog(NullLogger.Instance, TimeProvider.System),
            NullLogger<ReadModelProjection>.Instance);
        await projection.StartAsync(CancellationToken.None);
        return new ProjectionRun(projection, chosen);
    }

    /// <summary>Waits until the projection leads and its offset has reached <paramref name="ordering"/>.</summary>
    public Task<ProjectionStatus> ReachedAsync(long ordering, string because, TimeSpan? within = null) =>
        Eventually.Until(() => Task.FromResult(Status), s => s.Leader && s.Offset >= ordering, within ?? TimeSpan.FromSeconds(20), because);

    public async ValueTask DisposeAsync()
    {
        await Projection.StopAsync(CancellationToken.None);
        Projection.Dispose();
        (_feed as IDisposable)?.Dispose();
    }
}
