namespace FleetHealth.Server.Projection;

/// <summary>
/// Polls the <c>journal</c> table after the cursor's position. Hands out the run of events that
/// follows the position without a hole; a hole (an ordering taken by a write that has not
/// committed, or rolled back) is waited for, then passed over (see the Gaps part).
/// </summary>
/// <remarks>
/// Each batch's successor is read while the caller applies it, so the database reads the next
/// events while the server folds and writes the current ones (the two otherwise take turns, each
/// idle half the time). After an idle poll the next call first pauses for
/// <see cref="ProjectionOptions.IdlePollMilliseconds"/> (at most 10 ms while a hole is waited for).
/// </remarks>
internal sealed partial class PolledJournalCursor(JournalReader journal, ReadModelWriter writer, ProjectionOptions settings, TimeProvider clock, long offset) : IJournalCursor
{
    private long _offset = offset;
    private Task<List<JournalEntry>>? _readAhead;
    private TimeSpan? _pause;

    public async ValueTask<JournalBatch> NextAsync(int maxEvents, CancellationToken cancellationToken)
    {
        if (_pause is { } pause)
        {
            _pause = null;
            await Task.Delay(pause, clock, cancellationToken);
        }

        if (await NextLateAsync(maxEvents, cancellationToken) is { } late)
        {
            return late;
        }

        var entries = await (_readAhead ?? journal.ReadAfterAsync(_offset, maxEvents, cancellationToken));
        _readAhead = null;
        var contiguous = 0;
        while (contiguous < entries.Count && entries[contiguous].Ordering == _offset + 1 + contiguous)
        {
            contiguous++;
        }

        if (contiguous > 0)
        {
            HoleFilled();
            var batch = contiguous == entries.Count ? entries : entries.GetRange(0, contiguous);
            _offset = batch[^1].Ordering;
            _readAhead = journal.ReadAfterAsync(_offset, maxEvents, cancellationToken);
            return JournalBatch.Next(batch);
        }

        if (entries.Count > 0 && HoleTimedOut())
        {
            var skipTo = entries[0].Ordering - 1;
            PassOver(skipTo - _offset);
            _offset = skipTo;
            return JournalBatch.SkipTo(skipTo);
        }

        _pause = TimeSpan.FromMilliseconds(entries.Count == 0 ? settings.IdlePollMilliseconds : Math.Min(settings.IdlePollMilliseconds, 10));
        return JournalBatch.Idle;
    }

    public async ValueTask<FeedLag> LagAsync(long appliedOffset, CancellationToken cancellationToken)
    {
        var (newest, oldest) = await journal.LagAsync(appliedOffset, cancellationToken);
        return new FeedLag(newest, oldest);
    }

    public async ValueTask DisposeAsync()
    {
        if (_readAhead is not null)
        {
            // Leaving (a failed write, or shutdown): the read's outcome no longer matters, but it must not go unobserved.
            await _readAhead.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
