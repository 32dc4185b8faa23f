import { backoffDelay } from './backoff';
import { filterQuery, normalizeFilter, parseServerMessage, type LiveFilter, type ServerMessage } from './protocol';

/** What the connection indicator shows. */
export type ConnectionStatus =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  | { kind: 'closed' };

/** The part of the browser WebSocket this module uses (a fake one in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface ConnectionDeps {
  /** Base ws(s) URL of /ws, without query. */
  url: string;
  createSocket: (url: string) => SocketLike;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  random?: () => number;
  onMessage: (message: ServerMessage) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** Called when a new socket opens: the state must be resynced from the coming snapshot. */
  onReconnect?: () => void;
}

const OPEN = 1;

/**
 * The dashboard's websocket: connects with the current filter, re-sends the watch after each
 * (re)connect, and reconnects by itself with exponential backoff when the socket closes. A new
 * connection always starts with a fresh snapshot, so nothing missed while away stays wrong.
 */
export class LiveConnection {
  private socket: SocketLike | null = null;
  private timer: unknown = null;
  private attempt = 0;
  private filter: LiveFilter = {};
  private watched: string | null = null;
  private stopped = false;

  constructor(private readonly deps: ConnectionDeps) {}

  start(filter: LiveFilter = {}): void {
    this.filter = normalizeFilter(filter);
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close(1000, 'bye');
    }
    this.deps.onStatus({ kind: 'closed' });
  }

  subscribe(filter: LiveFilter): void {
    this.filter = normalizeFilter(filter);
    this.send({ type: 'subscribe', filter: this.filter });
  }

  watch(sensorId: string | null): void {
    this.watched = sensorId;
    this.send({ type: 'watch', sensorId });
  }

  ping(id: string): void {
    this.send({ type: 'ping', id });
  }

  private send(message: object): void {
    if (this.socket && this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
    // Not open: the next connection carries the filter in its URL and re-sends the watch.
  }

  private open(): void {
    this.attempt += 1;
    this.deps.onStatus({ kind: 'connecting', attempt: this.attempt });
    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(this.deps.url + filterQuery(this.filter));
    } catch (error) {
      this.scheduleReconnect(String(error));
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.deps.onReconnect?.();
      if (this.watched !== null) socket.send(JSON.stringify({ type: 'watch', sensorId: this.watched }));
    };
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const message = parseServerMessage(event.data);
      if (!message) return;
      if ((message.type === 'snapshot' && message.complete) || (message.type === 'snapshotPart' && message.complete)) {
        this.attempt = 0;
        this.deps.onStatus({ kind: 'live' });
      }
      this.deps.onMessage(message);
    };
    socket.onerror = () => { /* a close event follows */ };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect(event.reason || (event.code === 1006 ? 'connection lost' : `closed (${event.code})`));
    };
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    const attempt = Math.max(1, this.attempt);
    const retryInMs = backoffDelay(attempt, this.deps.random);
    this.deps.onStatus({ kind: 'reconnecting', attempt, retryInMs, reason });
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      if (!this.stopped) this.open();
    }, retryInMs);
  }
}

/** ws(s)://host/ws for an http(s) page or API base. */
export function websocketUrl(apiBase: string, location: { protocol: string; host: string }): string {
  if (apiBase) return apiBase.replace(/^http/, 'ws') + '/ws';
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}
