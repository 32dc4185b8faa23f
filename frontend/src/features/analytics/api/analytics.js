import { apiFetch } from '@/api/http';
export const num = (v) => typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
export async function fetchQuery(apiBase, name, signal) {
    const response = await apiFetch(`${apiBase}/api/v1/analytics/${name}`, { signal });
    if (!response.ok)
        throw new Error(`${name}: HTTP ${response.status}`);
    const body = (await response.json());
    return Array.isArray(body.rows) ? body.rows : [];
}
/** Kaplan–Meier steps from the lifespan rows, starting at (0, 1). */
export function survivalCurve(rows) {
    // The fleet's curve: per-tag rows carry their tag.
    const points = rows
        .filter((r) => r.tag === undefined || r.tag === null)
        .map((r) => ({ x: num(r.days), y: num(r.survival) }))
        .filter((p) => p.x !== null && p.y !== null)
        .sort((a, b) => a.x - b.x);
    return [{ x: 0, y: 1 }, ...points];
}
/** Per-sensor values of one column, for rows whose `scope` (when present) is `sensor`. */
export function perSensor(rows, column) {
    return rows.filter((r) => r.scope === undefined || r.scope === 'sensor').map((r) => num(r[column])).filter((v) => v !== null);
}
export function fleetRow(rows) {
    return rows.find((r) => r.scope === 'fleet' || (r.scope === undefined && (r.sensor_id === null || r.tag === null)));
}
