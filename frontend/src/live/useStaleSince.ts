import { useEffect, useRef, useState } from 'react';
import type { ConnectionStatus } from './connection';
import { isCurrent, nextStaleSince } from './staleness';

/** Since when the live data is stale (epoch ms; null while current), for the page to dim and say so. */
export function useStaleSince(status: ConnectionStatus, feed: 'live' | 'interrupted', synced: boolean): number | null {
  const [since, setSince] = useState<number | null>(null);
  const everCurrent = useRef(false);
  const current = isCurrent(status, feed, synced);
  useEffect(() => {
    if (current) everCurrent.current = true;
    setSince((s) => nextStaleSince(s, current, everCurrent.current, Date.now()));
  }, [current]);
  return since;
}
