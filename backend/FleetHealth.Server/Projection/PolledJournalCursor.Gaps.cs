using FleetHealth.Server.Fleet;

namespace FleetHealth.Server.Projection;

/// <summary>
/// Holes in the polled journal's ordering: an ordering is taken when a write starts, so a slower
/// transaction can commit a lower one after a higher one is visible. A hole is waited for
/// <see cref="ProjectionOptions.GapTimeoutMilliseconds"/>, then passed over (a
/// <see cref="JournalBatchKind.Skip"/> batch, which the projection records in
/// <c>projection_gaps</c>); every <see cref="ProjectionOptions.GapRecheckMilliseconds"/> the
/// recorded holes are looked for again, and events that committed in them since are handed out as
/// <see cref="JournalBatchKind.Late"/> batches. Holes older than
/// <see cref="ProjectionOptions.GapRetention"/> count as rolled back and are forgotten.
/// </summary>
internal sealed partial class PolledJournalCursor
{
    private DateTimeOffset? _holeSeen;
    private DateTimeOffset _lastGapCheck = DateTimeOffset.MinValue;
    private bool _rechecking;

    public long OpenGaps { get; private set; }

    private void HoleFilled() => _holeSeen = null;

    /// <summary>True once the hole at the position has been waited for long enough.</summary>
    private bool HoleTimedOut()
    {
        _holeSeen ??= clock.GetUtcNow();
        return clock.GetUtcNow() - _holeSeen >= TimeSpan.FromMilliseconds(settings.GapTimeoutMilliseconds);
    }

    private void PassOver(long orderings)
    {
        OpenGaps += orderings;
        _holeSeen = null;
    }

    /// <summary>
    /// When a recheck is due: forgets expired holes, then hands out, batch by batch, the events that
    /// appeared in the others; null when there is nothing (more) to apply late.
    /// </summary>
    private async ValueTask<JournalBatch?> NextLateAsync(int maxEvents, CancellationToken cancellationToken)
    {
        if (!_rechecking)
        {
            if (clock.GetUtcNow() - _lastGapCheck < TimeSpan.FromMilliseconds(settings.GapRecheckMilliseconds))
            {
                return null;
            }

            OpenGaps = await writer.ExpireGapsAsync(ReadModelProjectionName.Value, settings.GapRetention, cancellationToken);
            _rechecking = true;
        }

        if (OpenGaps > 0)
        {
            var late = await journal.ReadInGapsAsync(ReadModelProjectionName.Value, maxEvents, cancellationToken);
            if (late.Count > 0)
            {
                OpenGaps -= late.Count;
                return JournalBatch.Late(late);
            }
        }

        _rechecking = false;
        _lastGapCheck = clock.GetUtcNow();
        return null;
    }
}
