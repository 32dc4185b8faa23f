/** The websocket protocol of /ws (docs/websocket.md), as the dashboard reads it. */
export const STATES = ['registered', 'healthy', 'fault', 'late', 'stale', 'dead', 'retired'];
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Parses one server message; null for anything that is not a known, well-formed message. */
export function parseServerMessage(text) {
    let raw;
    try {
        raw = JSON.parse(text);
    }
    catch {
        return null;
    }
    if (!isObject(raw) || typeof raw.type !== 'string')
        return null;
    switch (raw.type) {
        case 'snapshot':
            return Array.isArray(raw.sensors) && typeof raw.snapshotId === 'number' && isObject(raw.counts)
                ? raw : null;
        case 'snapshotPart':
            return Array.isArray(raw.sensors) && typeof raw.snapshotId === 'number' ? raw : null;
        case 'delta':
            return Array.isArray(raw.upserts) && Array.isArray(raw.removes) && Array.isArray(raw.transitions)
                ? raw : null;
        case 'sensor':
            return typeof raw.sensorId === 'string' ? raw : null;
        case 'feed':
            return raw.state === 'live' || raw.state === 'interrupted' ? raw : null;
        case 'error':
            return typeof raw.code === 'string' ? raw : null;
        case 'pong':
            return raw;
        default:
            return null;
    }
}
/** The query string of /ws for a filter (the connection's first snapshot is already filtered). */
export function filterQuery(filter) {
    const params = new URLSearchParams();
    if (filter.state)
        params.set('state', filter.state);
    if (filter.tag)
        params.set('tag', filter.tag);
    if (filter.text)
        params.set('text', filter.text);
    const query = params.toString();
    return query ? `?${query}` : '';
}
/** Drops empty fields, so "" means "any" as it does on the server. */
export function normalizeFilter(filter) {
    const out = {};
    if (filter.state)
        out.state = filter.state;
    if (filter.tag?.trim())
        out.tag = filter.tag.trim();
    if (filter.text?.trim())
        out.text = filter.text.trim();
    return out;
}
