import { describe, expect, it } from 'vitest';
import { isCurrent, nextStaleSince } from './staleness';

describe('staleness', () => {
  it('is current only when live, synced and the feed flows', () => {
    expect(isCurrent({ kind: 'live' }, 'live', true)).toBe(true);
    expect(isCurrent({ kind: 'live' }, 'interrupted', true)).toBe(false);
    expect(isCurrent({ kind: 'live' }, 'live', false)).toBe(false);
    expect(isCurrent({ kind: 'reconnecting', attempt: 1, retryInMs: 500, reason: 'connection lost' }, 'live', true)).toBe(false);
  });

  it('goes stale when current data stops being current, and keeps the first moment until it is current again', () => {
    expect(nextStaleSince(null, false, false, 1000)).toBeNull(); // never current: nothing to dim yet
    expect(nextStaleSince(null, true, true, 1000)).toBeNull();
    const since = nextStaleSince(null, false, true, 2000);
    expect(since).toBe(2000);
    expect(nextStaleSince(since, false, true, 9000)).toBe(2000);
    expect(nextStaleSince(since, true, true, 9500)).toBeNull();
  });
});
