import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { LiveConnection, websocketUrl } from './connection';
class FakeSocket {
    url;
    readyState = 0;
    sent = [];
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;
    constructor(url) {
        this.url = url;
    }
    send(data) { this.sent.push(data); }
    close() { this.readyState = 3; }
    open() { this.readyState = 1; this.onopen?.({}); }
    receive(message) { this.onmessage?.({ data: JSON.stringify(message) }); }
    drop(reason = '') { this.readyState = 3; this.onclose?.({ code: 1006, reason }); }
}
function setup() {
    const sockets = [];
    const timers = [];
    const statuses = [];
    const messages = [];
    let reconnects = 0;
    const connection = new LiveConnection({
        url: 'ws://h/ws',
        createSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
        setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
        clearTimer: () => { },
        random: () => 0.5,
        onMessage: (m) => messages.push(m),
        onStatus: (s) => statuses.push(s),
        onReconnect: () => { reconnects += 1; },
    });
    return { connection, sockets, timers, statuses, messages, reconnects: () => reconnects };
}
const snapshot = { type: 'snapshot', snapshotId: 1, reason: 'connect', at: '', live: true, filter: {}, counts: {}, total: 0, matched: 0, limit: 1, truncated: false, sensors: [], complete: true };
describe('backoff', () => {
    it('doubles from the base up to the cap, with bounded jitter', () => {
        const noJitter = { baseMs: 500, maxMs: 30_000, jitter: 0 };
        expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, () => 0, noJitter))).toEqual([500, 1000, 2000, 4000, 30_000]);
        for (let i = 0; i < 50; i++)
            expect(backoffDelay(3, Math.random)).toBeGreaterThanOrEqual(1400);
        for (let i = 0; i < 50; i++)
            expect(backoffDelay(3, Math.random)).toBeLessThanOrEqual(2000);
    });
});
describe('live connection', () => {
    it('connects with the filter in the URL and is live once the snapshot is complete', () => {
        const t = setup();
        t.connection.start({ state: 'late', text: ' pump ' });
        expect(t.sockets[0]?.url).toBe('ws://h/ws?state=late&text=pump');
        t.sockets[0].open();
        expect(t.statuses.at(-1)).toEqual({ kind: 'connecting', attempt: 1 });
        t.sockets[0].receive(snapshot);
        expect(t.statuses.at(-1)).toEqual({ kind: 'live' });
        expect(t.messages).toHaveLength(1);
    });
    it('ignores malformed and unknown server messages', () => {
        const t = setup();
        t.connection.start();
        t.sockets[0].open();
        t.sockets[0].onmessage?.({ data: '{nope' });
        t.sockets[0].receive({ type: 'surprise' });
        t.sockets[0].receive({ type: 'delta' });
        expect(t.messages).toHaveLength(0);
    });
    it('reconnects with growing delays, resyncs, re-sends the watch and the current filter', () => {
        const t = setup();
        t.connection.start();
        t.sockets[0].open();
        t.connection.watch('s-1');
        t.connection.subscribe({ tag: 'site:a' });
        expect(t.sockets[0].sent.map((s) => JSON.parse(s).type)).toEqual(['watch', 'subscribe']);
        t.sockets[0].drop('server restart');
        expect(t.statuses.at(-1)).toMatchObject({ kind: 'reconnecting', reason: 'server restart' });
        t.timers[0].fn();
        t.sockets[1].drop();
        t.timers[1].fn();
        expect(t.timers[1].ms).toBeGreaterThan(t.timers[0].ms);
        t.sockets[2].open();
        expect(t.sockets[2].url).toBe('ws://h/ws?tag=site%3Aa');
        expect(JSON.parse(t.sockets[2].sent[0])).toEqual({ type: 'watch', sensorId: 's-1' });
        expect(t.reconnects()).toBe(2);
        t.sockets[2].receive(snapshot);
        expect(t.statuses.at(-1)).toEqual({ kind: 'live' });
        // After a good connection the backoff starts again from the base.
        t.sockets[2].drop();
        expect(t.timers[2].ms).toBe(t.timers[0].ms);
        expect(t.statuses.at(-1)).toMatchObject({ kind: 'reconnecting', attempt: 1, reason: 'connection lost' });
    });
    it('stops for good when stopped', () => {
        const t = setup();
        t.connection.start();
        t.connection.stop();
        expect(t.statuses.at(-1)).toEqual({ kind: 'closed' });
        expect(t.timers).toHaveLength(0);
    });
    it('derives the websocket URL from the page', () => {
        expect(websocketUrl('', { protocol: 'https:', host: 'fleet.example' })).toBe('wss://fleet.example/ws');
        expect(websocketUrl('http://127.0.0.1:8080', { protocol: 'http:', host: 'x' })).toBe('ws://127.0.0.1:8080/ws');
    });
});
