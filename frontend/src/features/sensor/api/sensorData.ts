import { failedResponse } from '@/api/fetchError';
import { apiFetch } from '@/api/http';
export interface HeartbeatPoint { receivedAt: string; intervalSeconds?: number | null; status: string; sequence?: number | null; lostBefore: number }
export interface StateChange { id: number; from: string; to: string; at: string; reason: string }
export interface Episode { state: string; from: number; to: number; ongoing: boolean }

import type { SettingFrom } from '@/live/protocol';

/** "15 s (tag site:north)", "30 s (own setting)", "60 s (fleet default)". */
export function describeSetting(seconds: number, from: SettingFrom): string {
  const origin = from.kind === 'sensor' ? 'own setting' : from.kind === 'tag' ? `tag ${from.tag ?? '?'}` : 'fleet default';
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(2)} s (${origin})`;
}

const BAD = new Set(['fault', 'late', 'stale', 'dead']);

/**
 * Downtime episodes from a sensor's transitions (oldest first): maximal runs spent in
 * fault/late/stale/dead, each ended by the first transition back to a good state; the last
 * one is ongoing when the sensor is still down. A run through several bad states is one episode
 * (as db/queries/downtime_episodes.sql counts it), named by its worst state.
 */
export function downtimeEpisodes(changes: StateChange[], now: number): Episode[] {
  const episodes: Episode[] = [];
  const severity = ['fault', 'late', 'stale', 'dead'];
  let open: Episode | null = null;
  for (const c of changes) {
    const at = Date.parse(c.at);
    if (BAD.has(c.to)) {
      if (!open) open = { state: c.to, from: at, to: now, ongoing: true };
      else if (severity.indexOf(c.to) > severity.indexOf(open.state)) open.state = c.to;
    } else if (open) {
      episodes.push({ ...open, to: at, ongoing: false });
      open = null;
    }
  }
  if (open) episodes.push(open);
  return episodes;
}

async function get<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(url, { signal });
  if (!response.ok) throw await failedResponse(response);
  return (await response.json()) as T;
}

export function fetchHeartbeats(apiBase: string, sensorId: string, since: Date, signal?: AbortSignal) {
  return get<{ items: HeartbeatPoint[]; truncated: boolean }>(
    `${apiBase}/api/v1/sensors/${encodeURIComponent(sensorId)}/heartbeats?since=${encodeURIComponent(since.toISOString())}&limit=20000`, signal);
}

/** How far back the sensor page lists transitions. */
export const HISTORY_DAYS = 30;

export function fetchHistory(apiBase: string, sensorId: string, signal?: AbortSignal) {
  const since = new Date(Date.now() - HISTORY_DAYS * 86400_000);
  return get<{ items: StateChange[]; truncated: boolean }>(
    `${apiBase}/api/v1/sensors/${encodeURIComponent(sensorId)}/history?since=${encodeURIComponent(since.toISOString())}`, signal);
}
