import { failedResponse } from '@/api/fetchError';
import { apiFetch } from '@/api/http';
export type Row = Record<string, unknown>;

export const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;

export async function fetchQuery(apiBase: string, name: string, signal?: AbortSignal): Promise<Row[]> {
  const response = await apiFetch(`${apiBase}/api/v1/analytics/${name}`, { signal });
  if (!response.ok) throw await failedResponse(response);
  const body = (await response.json()) as { rows?: unknown };
  return Array.isArray(body.rows) ? (body.rows as Row[]) : [];
}

/** Kaplan–Meier steps from the lifespan rows, starting at (0, 1). */
export function survivalCurve(rows: Row[]): { x: number; y: number }[] {
  // The fleet's curve: per-tag rows carry their tag.
  const points = rows
    .filter((r) => r.tag === undefined || r.tag === null)
    .map((r) => ({ x: num(r.days), y: num(r.survival) }))
    .filter((p): p is { x: number; y: number } => p.x !== null && p.y !== null)
    .sort((a, b) => a.x - b.x);
  return [{ x: 0, y: 1 }, ...points];
}

/** Per-sensor values of one column, for rows whose `scope` (when present) is `sensor`. */
export function perSensor(rows: Row[], column: string): number[] {
  return rows.filter((r) => r.scope === undefined || r.scope === 'sensor').map((r) => num(r[column])).filter((v): v is number => v !== null);
}

export function fleetRow(rows: Row[]): Row | undefined {
  return rows.find((r) => r.scope === 'fleet' || (r.scope === undefined && (r.sensor_id === null || r.tag === null)));
}
