import { failedResponse } from '@/api/fetchError';
import { apiFetch } from '@/api/http';
/** The fleet overview's numbers from the named analytics queries. */
export interface FleetSummary {
  /** Share of non-retired sensors silent for over 10 minutes (silent_share, fleet row). */
  silentShare: number | null;
  silent: number | null;
  /** Mean seconds between consecutive heartbeats over the last day (intervals, fleet row). */
  meanIntervalSeconds: number | null;
  /** Kaplan–Meier median lifespan in days (null while more than half survive). */
  medianLifespanDays: number | null;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

function rows(body: unknown): Row[] {
  const list = (body as { rows?: unknown })?.rows;
  return Array.isArray(list) ? (list as Row[]) : [];
}

export function summarize(silentShare: unknown, intervals: unknown, lifespan: unknown): FleetSummary {
  const fleetSilent = rows(silentShare).find((r) => r.tag === null || r.tag === undefined);
  const fleetIntervals = rows(intervals).find((r) => r.scope === 'fleet');
  const lifespanRow = rows(lifespan)[0];
  return {
    silentShare: num(fleetSilent?.silent_share),
    silent: num(fleetSilent?.silent),
    meanIntervalSeconds: num(fleetIntervals?.mean_seconds),
    medianLifespanDays: num(lifespanRow?.median_days),
  };
}

async function query(apiBase: string, name: string, signal?: AbortSignal): Promise<unknown> {
  const response = await apiFetch(`${apiBase}/api/v1/analytics/${name}`, { signal });
  if (!response.ok) throw await failedResponse(response);
  return response.json();
}

export async function fetchFleetSummary(apiBase: string, signal?: AbortSignal): Promise<FleetSummary> {
  const [silent, intervals, lifespan] = await Promise.all(['silent_share', 'intervals', 'lifespan'].map((n) => query(apiBase, n, signal)));
  return summarize(silent, intervals, lifespan);
}
