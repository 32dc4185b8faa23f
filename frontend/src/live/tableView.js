import { RECENT_CHANGES } from './fleetStore';
/** Worst first when sorting by status: what an operator looks at first. */
const SEVERITY = { dead: 0, stale: 1, late: 2, fault: 3, registered: 4, healthy: 5, retired: 6 };
/** Same meaning as the server's filter: state equal, tag present, text a case-insensitive substring of the id. */
export function matches(sensor, filter) {
    if (filter.state && sensor.status !== filter.state)
        return false;
    if (filter.tag && !sensor.tags.includes(filter.tag))
        return false;
    if (filter.text && !sensor.id.toLowerCase().includes(filter.text.toLowerCase()))
        return false;
    return true;
}
function compare(a, b, key) {
    switch (key) {
        case 'id': return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
        case 'status': return (SEVERITY[a.status] ?? 9) - (SEVERITY[b.status] ?? 9);
        case 'since': return (a.since ?? '').localeCompare(b.since ?? '');
        case 'lastSeen': return (a.lastSeen ?? '').localeCompare(b.lastSeen ?? '');
        case 'count': return a.count - b.count;
        case 'meanInterval': return a.meanInterval - b.meanInterval;
    }
}
/** The rows to show: filtered, then sorted (ties broken by id, so the order is stable across updates). */
export function tableRows(sensors, filter, sort) {
    const rows = [];
    for (const s of sensors)
        if (matches(s, filter))
            rows.push(s);
    const direction = sort.descending ? -1 : 1;
    rows.sort((a, b) => direction * compare(a, b, sort.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return rows;
}
/** The ids changed after `since` up to `state.version`, or null when only a full recompute is correct. */
export function changesSince(state, since) {
    if (since < state.resetVersion)
        return null;
    const first = state.recentChanges[0];
    // Versions that changed no sensor are absent from the log; only a log that reaches back far enough proves completeness.
    if (state.recentChanges.length > 0 && first.version > since + 1 && state.recentChanges.length >= RECENT_CHANGES)
        return null;
    const ids = new Set();
    for (const change of state.recentChanges)
        if (change.version > since)
            for (const id of change.ids)
                ids.add(id);
    return ids;
}
/**
 * The table rows after some sensors changed, without re-sorting everything: the changed ids are
 * taken out, their current rows (if they still exist and match) sorted among themselves, and the
 * two sorted runs merged in one pass. O(n + k log k) for k changes among n rows.
 */
export function updateRows(previous, changed, sensors, filter, sort) {
    if (changed.size === 0)
        return previous;
    const direction = sort.descending ? -1 : 1;
    const order = (a, b) => direction * compare(a, b, sort.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const incoming = [];
    for (const id of changed) {
        const row = sensors.get(id);
        if (row && matches(row, filter))
            incoming.push(row);
    }
    incoming.sort(order);
    const rows = new Array(previous.length + incoming.length);
    let n = 0;
    let next = 0;
    for (const row of previous) {
        if (changed.has(row.id))
            continue;
        while (next < incoming.length && order(incoming[next], row) < 0)
            rows[n++] = incoming[next++];
        rows[n++] = row;
    }
    while (next < incoming.length)
        rows[n++] = incoming[next++];
    rows.length = n;
    return rows;
}
/** Rows [start, end) to render for a scroll position, with `overscan` extra rows each side. */
export function visibleWindow(scrollTop, viewportHeight, rowHeight, total, overscan = 8) {
    const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
    const count = Math.ceil(viewportHeight / rowHeight);
    const start = Math.max(0, Math.min(total, first - overscan));
    const end = Math.min(total, first + count + overscan);
    return { start, end, offsetTop: start * rowHeight, totalHeight: total * rowHeight };
}
