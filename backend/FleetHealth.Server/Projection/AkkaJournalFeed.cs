using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Projection;

/// <summary>
/// The Akka.Persistence.Sql journal as a feed: the Sql read journal's <c>AllEvents</c> from a
/// <see cref="Sequence"/> offset (the journal's <c>ordering</c>), tuned in
/// <see cref="Storage.AkkaJournalConfiguration"/>. No SQL of ours touches the plugin's tables: holes in
/// the ordering are the read journal's job (its sequence retrieval delivers an ordering only once
/// every lower one is committed or has been given up as a gap, see
/// <see cref="Storage.AkkaJournalOptions.QueryGapTimeout"/>), so the projection passes over no
/// ordering of its own accord and never applies an event behind its offset.
/// </summary>
/// <remarks>
/// The read journal (and with it the plugin's sequence-retrieval actor, which polls the journal
/// from then on) is made on the first <see cref="OpenAfter"/>, so only the node that leads the
/// projection runs it. A node that does not lead knows nothing of the journal's head:
/// <see cref="LagAsync"/> reports the stored offset as the newest.
/// </remarks>
public sealed class AkkaJournalFeed : IJournalFeed, IDisposable
{
    private readonly Lazy<(SqlReadJournal Queries, ActorMaterializer Materializer)> _query;
    private readonly IOptions<ProjectionOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger? _logger;

    public AkkaJournalFeed(ActorSystem system, IOptions<ProjectionOptions> options, TimeProvider clock, ILogger<AkkaJournalFeed>? logger = null)
    {
        _options = options;
        _clock = clock;
        _logger = logger;
        _query = new(() => (
            PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier),
            system.Materializer(namePrefix: "read-model-feed")));
    }

    /// <summary>
    /// A cursor whose stream pushes into a buffer of <see cref="ProjectionOptions.BatchSize"/> events;
    /// a full buffer back-pressures the read journal, which then stops querying until the
    /// projection has taken a batch.
    /// </summary>
    public IJournalCursor OpenAfter(long offset)
    {
        var (queries, materializer) = _query.Value;
        return new AkkaJournalCursor(queries.AllEvents(Offset.Sequence(offset)), materializer, offset, _options.Value.BatchSize, _clock, _logger);
    }

    public ValueTask<FeedLag> LagAsync(long offset, CancellationToken cancellationToken) => ValueTask.FromResult(new FeedLag(offset, null));

    public void Dispose()
    {
        if (_query.IsValueCreated)
        {
            _query.Value.Materializer.Dispose();
        }
    }
}
