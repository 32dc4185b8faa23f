import { backoffDelay } from './backoff';
import { filterQuery, normalizeFilter, parseServerMessage } from './protocol';
const OPEN = 1;
/**
 * The dashboard's websocket: connects with the current filter, re-sends the watch after each
 * (re)connect, and reconnects by itself with exponential backoff when the socket closes. A new
 * connection always starts with a fresh snapshot, so nothing missed while away stays wrong.
 */
export class LiveConnection {
    deps;
    socket = null;
    timer = null;
    attempt = 0;
    filter = {};
    watched = null;
    stopped = false;
    constructor(deps) {
        this.deps = deps;
    }
    start(filter = {}) {
        this.filter = normalizeFilter(filter);
        this.stopped = false;
        this.open();
    }
    stop() {
        this.stopped = true;
        if (this.timer !== null)
            this.deps.clearTimer(this.timer);
        this.timer = null;
        const socket = this.socket;
        this.socket = null;
        if (socket) {
            socket.onclose = null;
            socket.close(1000, 'bye');
        }
        this.deps.onStatus({ kind: 'closed' });
    }
    subscribe(filter) {
        this.filter = normalizeFilter(filter);
        this.send({ type: 'subscribe', filter: this.filter });
    }
    watch(sensorId) {
        this.watched = sensorId;
        this.send({ type: 'watch', sensorId });
    }
    ping(id) {
        this.send({ type: 'ping', id });
    }
    send(message) {
        if (this.socket && this.socket.readyState === OPEN)
            this.socket.send(JSON.stringify(message));
        // Not open: the next connection carries the filter in its URL and re-sends the watch.
    }
    open() {
        this.attempt += 1;
        this.deps.onStatus({ kind: 'connecting', attempt: this.attempt });
        let socket;
        try {
            socket = this.deps.createSocket(this.deps.url + filterQuery(this.filter));
        }
        catch (error) {
            this.scheduleReconnect(String(error));
            return;
        }
        this.socket = socket;
        socket.onopen = () => {
            this.deps.onReconnect?.();
            if (this.watched !== null)
                socket.send(JSON.stringify({ type: 'watch', sensorId: this.watched }));
        };
        socket.onmessage = (event) => {
            if (typeof event.data !== 'string')
                return;
            const message = parseServerMessage(event.data);
            if (!message)
                return;
            if ((message.type === 'snapshot' && message.complete) || (message.type === 'snapshotPart' && message.complete)) {
                this.attempt = 0;
                this.deps.onStatus({ kind: 'live' });
            }
            this.deps.onMessage(message);
        };
        socket.onerror = () => { };
        socket.onclose = (event) => {
            if (this.socket !== socket)
                return;
            this.socket = null;
            this.scheduleReconnect(event.reason || (event.code === 1006 ? 'connection lost' : `closed (${event.code})`));
        };
    }
    scheduleReconnect(reason) {
        if (this.stopped)
            return;
        const attempt = Math.max(1, this.attempt);
        const retryInMs = backoffDelay(attempt, this.deps.random);
        this.deps.onStatus({ kind: 'reconnecting', attempt, retryInMs, reason });
        this.timer = this.deps.setTimer(() => {
            this.timer = null;
            if (!this.stopped)
                this.open();
        }, retryInMs);
    }
}
/** ws(s)://host/ws for an http(s) page or API base. */
export function websocketUrl(apiBase, location) {
    if (apiBase)
        return apiBase.replace(/^http/, 'ws') + '/ws';
    return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
