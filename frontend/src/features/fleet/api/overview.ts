import { apiFetch } from '@/api/http';
import { failedResponse } from '@/api/fetchError';

export type ChartWindow = '24h' | '7d';

export interface StatesOverTime {
  window: ChartWindow;
  stepSeconds: number;
  until: string;
  states: string[];
  buckets: { at: string; counts: Record<string, number> }[];
}

export interface TagOverviewRow { tag: string; sensors: number; watched: number; silent: number; silentShare: number; counts: Record<string, number> }
export interface TagOverviewPage { total: number; offset: number; limit: number; silentAfterSeconds: number; items: TagOverviewRow[] }

async function get<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(url, { signal });
  if (!response.ok) throw await failedResponse(response);
  return (await response.json()) as T;
}

/** Counts per state at the end of each bucket (15 min over 24 h, 1 h over 7 d), from the stored transitions. */
export function fetchStatesOverTime(apiBase: string, window: ChartWindow, signal?: AbortSignal): Promise<StatesOverTime> {
  return get(`${apiBase}/api/v1/fleet/states-over-time?window=${window}`, signal);
}

/** A page of tags, worst first. */
export function fetchTagOverview(apiBase: string, offset: number, limit: number, signal?: AbortSignal): Promise<TagOverviewPage> {
  return get(`${apiBase}/api/v1/fleet/tags?offset=${offset}&limit=${limit}`, signal);
}

/** The chart's points: epoch-ms times with their counts. */
export function chartPoints(answer: StatesOverTime): { at: number; counts: Record<string, number> }[] {
  return answer.buckets.map((b) => ({ at: Date.parse(b.at), counts: b.counts }));
}

/** Why a chart of this answer would be empty, or null when it has something to draw. */
export function emptyChartReason(answer: StatesOverTime | null): string | null {
  if (!answer) return 'Loading the stored transitions…';
  const any = answer.buckets.some((b) => Object.values(b.counts).some((n) => n > 0));
  return any ? null : `No sensor was known during the last ${answer.window === '24h' ? '24 hours' : '7 days'}: the chart fills in once sensors register or send a heartbeat.`;
}
