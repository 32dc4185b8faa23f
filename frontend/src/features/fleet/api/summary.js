import { apiFetch } from '@/api/http';
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
function rows(body) {
    const list = body?.rows;
    return Array.isArray(list) ? list : [];
}
export function summarize(silentShare, intervals, lifespan) {
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
async function query(apiBase, name, signal) {
    const response = await apiFetch(`${apiBase}/api/v1/analytics/${name}`, { signal });
    if (!response.ok)
        throw new Error(`${name}: HTTP ${response.status}`);
    return response.json();
}
export async function fetchFleetSummary(apiBase, signal) {
    const [silent, intervals, lifespan] = await Promise.all(['silent_share', 'intervals', 'lifespan'].map((n) => query(apiBase, n, signal)));
    return summarize(silent, intervals, lifespan);
}
