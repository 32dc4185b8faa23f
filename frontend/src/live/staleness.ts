import type { ConnectionStatus } from './connection';

/** Whether the live data on screen is current: the socket is open, its snapshot complete, and the change feed flowing. */
export function isCurrent(status: ConnectionStatus, feed: 'live' | 'interrupted', synced: boolean): boolean {
  return status.kind === 'live' && feed === 'live' && synced;
}

/**
 * Since when the data shown is stale (epoch ms), or null while it is current. Data only goes
 * stale once it has been current: before the first snapshot there is nothing to dim.
 */
export function nextStaleSince(staleSince: number | null, current: boolean, everCurrent: boolean, now: number): number | null {
  if (current || !everCurrent) return null;
  return staleSince ?? now;
}
