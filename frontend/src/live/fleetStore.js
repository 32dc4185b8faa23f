/** Transitions kept for the live feed, newest first. */
export const MAX_TRANSITIONS = 200;
/** Versions of sensor changes kept for incremental views; a view further behind recomputes fully. */
export const RECENT_CHANGES = 32;
export function emptyFleet() {
    return {
        sensors: new Map(), counts: {}, total: 0, matched: 0, limit: 0, truncated: false,
        transitions: [], transitionsDropped: 0, pending: null, synced: false, feed: 'live',
        watched: null, watchedId: null, lastError: null, version: 0, resetVersion: 0, recentChanges: [],
    };
}
function replaceSensors(state, rows) {
    state.sensors.clear();
    for (const row of rows)
        state.sensors.set(row.id, row);
}
/** Applies one server message; returns a new state object (sharing the sensor map). */
export function applyMessage(previous, message) {
    const state = { ...previous, version: previous.version + 1 };
    switch (message.type) {
        case 'snapshot':
            state.counts = message.counts;
            state.total = message.total;
            state.matched = message.matched;
            state.limit = message.limit;
            state.truncated = message.truncated;
            state.feed = message.live ? 'live' : 'interrupted';
            if (message.complete) {
                replaceSensors(state, message.sensors);
                state.pending = null;
                state.synced = true;
                state.resetVersion = state.version;
            }
            else {
                state.pending = { snapshotId: message.snapshotId, sensors: [...message.sensors] };
            }
            return state;
        case 'snapshotPart':
            if (!state.pending || state.pending.snapshotId !== message.snapshotId)
                return previous;
            state.pending = { snapshotId: message.snapshotId, sensors: state.pending.sensors.concat(message.sensors) };
            if (message.complete) {
                replaceSensors(state, state.pending.sensors);
                state.pending = null;
                state.synced = true;
                state.resetVersion = state.version;
            }
            return state;
        case 'delta': {
            if (message.counts) {
                state.counts = message.counts;
                state.total = Object.values(message.counts).reduce((sum, n) => sum + n, 0);
            }
            const target = state.pending ? null : state.sensors;
            for (const row of message.upserts) {
                if (target)
                    target.set(row.id, row);
                if (state.watched && state.watched.sensorId === row.id) {
                    state.watched = { ...state.watched, status: row.status, statusSince: row.since, lastSeen: row.lastSeen, heartbeatCount: row.count };
                }
            }
            for (const id of message.removes)
                target?.delete(id);
            if (target && (message.upserts.length > 0 || message.removes.length > 0)) {
                const ids = message.upserts.map((r) => r.id).concat(message.removes);
                state.recentChanges = state.recentChanges.slice(-(RECENT_CHANGES - 1)).concat({ version: state.version, ids });
            }
            if (message.transitions.length > 0) {
                const newestFirst = [...message.transitions].sort((a, b) => b.id - a.id);
                state.transitions = newestFirst.concat(state.transitions).slice(0, MAX_TRANSITIONS);
            }
            state.transitionsDropped += message.transitionsDropped;
            return state;
        }
        case 'sensor':
            if (message.sensorId !== state.watchedId)
                return previous;
            state.watched = message.sensor ?? null;
            return state;
        case 'feed':
            state.feed = message.state;
            return state;
        case 'error':
            state.lastError = `${message.code}: ${message.message}`;
            return state;
        case 'pong':
            return previous;
    }
}
/** A new connection: nothing is trusted until its snapshot arrives (the old rows stay visible meanwhile). */
export function markReconnecting(previous) {
    return { ...previous, synced: false, pending: null, version: previous.version + 1 };
}
export function watch(previous, sensorId) {
    return { ...previous, watchedId: sensorId, watched: null, version: previous.version + 1 };
}
