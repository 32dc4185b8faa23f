using Microsoft.Extensions.Options;

namespace FleetHealth.Server.Projection;

/// <summary>
/// The home-made runtime's journal (table <c>journal</c>) as a feed: polled by ordering through
/// <see cref="JournalReader"/>, with the holes in its ordering handled here (see
/// <see cref="PolledJournalCursor"/>). The default feed until the server runs on Akka.NET.
/// </summary>
public sealed class PolledJournalFeed(JournalReader journal, ReadModelWriter writer, IOptions<ProjectionOptions> options, TimeProvider clock) : IJournalFeed
{
    public IJournalCursor OpenAfter(long offset) => new PolledJournalCursor(journal, writer, options.Value, clock, offset);

    public async ValueTask<FeedLag> LagAsync(long offset, CancellationToken cancellationToken)
    {
        var (newest, oldest) = await journal.LagAsync(offset, cancellationToken);
        return new FeedLag(newest, oldest);
    }
}
