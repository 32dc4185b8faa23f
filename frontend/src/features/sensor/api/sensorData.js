import { apiFetch } from '@/api/http';
/** "15 s (tag site:north)", "30 s (own setting)", "60 s (fleet default)". */
export function describeSetting(seconds, from) {
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
export function downtimeEpisodes(changes, now) {
    const episodes = [];
    const severity = ['fault', 'late', 'stale', 'dead'];
    let open = null;
    for (const c of changes) {
        const at = Date.parse(c.at);
        if (BAD.has(c.to)) {
            if (!open)
                open = { state: c.to, from: at, to: now, ongoing: true };
            else if (severity.indexOf(c.to) > severity.indexOf(open.state))
                open.state = c.to;
        }
        else if (open) {
            episodes.push({ ...open, to: at, ongoing: false });
            open = null;
        }
    }
    if (open)
        episodes.push(open);
    return episodes;
}
async function get(url, signal) {
    const response = await apiFetch(url, { signal });
    if (!response.ok)
        throw new Error(`HTTP ${response.status} for ${url}`);
    return (await response.json());
}
export function fetchHeartbeats(apiBase, sensorId, since, signal) {
    return get(`${apiBase}/api/v1/sensors/${encodeURIComponent(sensorId)}/heartbeats?since=${encodeURIComponent(since.toISOString())}&limit=20000`, signal);
}
export function fetchHistory(apiBase, sensorId, signal) {
    const since = new Date(Date.now() - 30 * 86400_000);
    return get(`${apiBase}/api/v1/sensors/${encodeURIComponent(sensorId)}/history?since=${encodeURIComponent(since.toISOString())}`, signal);
}
