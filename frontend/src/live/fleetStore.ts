import type { Counts, LiveSensor, LiveTransition, ServerMessage, SensorView } from './protocol';

/** Transitions kept for the live feed, newest first. */
export const MAX_TRANSITIONS = 200;

/**
 * What the dashboard knows of the fleet, built from snapshots and deltas. The sensor map is
 * updated in place (copying 100,000 rows four times a second would be wasteful); `version`
 * grows on every change, so views memoize on it.
 */
export interface FleetState {
  sensors: Map<string, LiveSensor>;
  counts: Counts;
  total: number;
  matched: number;
  limit: number;
  truncated: boolean;
  transitions: LiveTransition[];
  transitionsDropped: number;
  /** The snapshot being received in parts (replaces `sensors` once complete). */
  pending: { snapshotId: number; sensors: LiveSensor[] } | null;
  /** True once a complete snapshot arrived on this connection. */
  synced: boolean;
  feed: 'live' | 'interrupted';
  watched: SensorView | null;
  watchedId: string | null;
  lastError: string | null;
  version: number;
  /** Version of the last wholesale replacement of `sensors` (a snapshot). */
  resetVersion: number;
  /** Sensor ids changed by each recent version (newest last, bounded): lets views update incrementally. */
  recentChanges: { version: number; ids: string[] }[];
}

/** Versions of sensor changes kept for incremental views; a view further behind recomputes fully. */
export const RECENT_CHANGES = 32;

export function emptyFleet(): FleetState {
  return {
    sensors: new Map(), counts: {}, total: 0, matched: 0, limit: 0, truncated: false,
    transitions: [], transitionsDropped: 0, pending: null, synced: false, feed: 'live',
    watched: null, watchedId: null, lastError: null, version: 0, resetVersion: 0, recentChanges: [],
  };
}

function replaceSensors(state: FleetState, rows: LiveSensor[]): void {
  state.sensors.clear();
  for (const row of rows) state.sensors.set(row.id, row);
}

/** Applies one server message; returns a new state object (sharing the sensor map). */
export function applyMessage(previous: FleetState, message: ServerMessage): FleetState {
  const state: FleetState = { ...previous, version: previous.version + 1 };
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
      } else {
        state.pending = { snapshotId: message.snapshotId, sensors: [...message.sensors] };
      }
      return state;
    case 'snapshotPart':
      if (!state.pending || state.pending.snapshotId !== message.snapshotId) return previous;
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
        if (target) target.set(row.id, row);
        if (state.watched && state.watched.sensorId === row.id) {
          state.watched = { ...state.watched, status: row.status, statusSince: row.since, lastSeen: row.lastSeen, heartbeatCount: row.count };
        }
      }
      for (const id of message.removes) target?.delete(id);
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
      if (message.sensorId !== state.watchedId) return previous;
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
export function markReconnecting(previous: FleetState): FleetState {
  return { ...previous, synced: false, pending: null, version: previous.version + 1 };
}

export function watch(previous: FleetState, sensorId: string | null): FleetState {
  return { ...previous, watchedId: sensorId, watched: null, version: previous.version + 1 };
}
