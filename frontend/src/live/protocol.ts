/** The websocket protocol of /ws (docs/websocket.md), as the dashboard reads it. */

export const STATES = ['registered', 'healthy', 'fault', 'late', 'stale', 'dead', 'retired'] as const;
export type SensorState = (typeof STATES)[number];

export interface LiveSensor {
  id: string;
  status: string;
  since?: string;
  lastSeen?: string;
  count: number;
  tags: string[];
  meanInterval: number;
  lostBeats: number;
}

export interface LiveTransition {
  id: number;
  sensorId: string;
  from: string;
  to: string;
  at: string;
  reason?: string;
}

export interface LiveFilter {
  state?: string;
  tag?: string;
  text?: string;
}

export interface SensorView {
  sensorId: string;
  status: string;
  statusSince?: string;
  registeredAt?: string;
  firstSeen?: string;
  lastSeen?: string;
  heartbeatCount: number;
  tags: string[];
  intervalSeconds?: number;
  graceSeconds?: number;
  meanIntervalSeconds: number;
  intervalStdDevSeconds: number;
  lostBeats: number;
  retiredAt?: string;
  effective?: EffectiveSettings;
}

/** Where a sensor's interval or grace came from: its own setting, one of its tags, or the fleet default. */
export interface SettingFrom {
  kind: 'sensor' | 'tag' | 'fleet';
  tag?: string;
}

/** The interval and grace a sensor is held to now, with the origin of each. */
export interface EffectiveSettings {
  intervalSeconds: number;
  intervalFrom: SettingFrom;
  graceSeconds: number;
  graceFrom: SettingFrom;
}

export type Counts = Record<string, number>;

export interface SnapshotMessage {
  type: 'snapshot';
  snapshotId: number;
  reason: 'connect' | 'subscribe' | 'resync';
  at: string;
  live: boolean;
  filter: LiveFilter;
  counts: Counts;
  total: number;
  matched: number;
  limit: number;
  truncated: boolean;
  sensors: LiveSensor[];
  complete: boolean;
}

export interface SnapshotPartMessage {
  type: 'snapshotPart';
  snapshotId: number;
  sensors: LiveSensor[];
  complete: boolean;
}

export interface DeltaMessage {
  type: 'delta';
  at: string;
  counts?: Counts;
  upserts: LiveSensor[];
  removes: string[];
  transitions: LiveTransition[];
  transitionsDropped: number;
}

export interface SensorMessage {
  type: 'sensor';
  sensorId: string;
  sensor?: SensorView | null;
}

export interface FeedMessage {
  type: 'feed';
  state: 'live' | 'interrupted';
}

export interface ErrorMessage {
  type: 'error';
  code: string;
  message: string;
}

export interface PongMessage {
  type: 'pong';
  id?: string;
  at: string;
}

export type ServerMessage =
  | SnapshotMessage
  | SnapshotPartMessage
  | DeltaMessage
  | SensorMessage
  | FeedMessage
  | ErrorMessage
  | PongMessage;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one server message; null for anything that is not a known, well-formed message. */
export function parseServerMessage(text: string): ServerMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'snapshot':
      return Array.isArray(raw.sensors) && typeof raw.snapshotId === 'number' && isObject(raw.counts)
        ? (raw as unknown as SnapshotMessage) : null;
    case 'snapshotPart':
      return Array.isArray(raw.sensors) && typeof raw.snapshotId === 'number' ? (raw as unknown as SnapshotPartMessage) : null;
    case 'delta':
      return Array.isArray(raw.upserts) && Array.isArray(raw.removes) && Array.isArray(raw.transitions)
        ? (raw as unknown as DeltaMessage) : null;
    case 'sensor':
      return typeof raw.sensorId === 'string' ? (raw as unknown as SensorMessage) : null;
    case 'feed':
      return raw.state === 'live' || raw.state === 'interrupted' ? (raw as unknown as FeedMessage) : null;
    case 'error':
      return typeof raw.code === 'string' ? (raw as unknown as ErrorMessage) : null;
    case 'pong':
      return raw as unknown as PongMessage;
    default:
      return null;
  }
}

/** The query string of /ws for a filter (the connection's first snapshot is already filtered). */
export function filterQuery(filter: LiveFilter): string {
  const params = new URLSearchParams();
  if (filter.state) params.set('state', filter.state);
  if (filter.tag) params.set('tag', filter.tag);
  if (filter.text) params.set('text', filter.text);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Drops empty fields, so "" means "any" as it does on the server. */
export function normalizeFilter(filter: LiveFilter): LiveFilter {
  const out: LiveFilter = {};
  if (filter.state) out.state = filter.state;
  if (filter.tag?.trim()) out.tag = filter.tag.trim();
  if (filter.text?.trim()) out.text = filter.text.trim();
  return out;
}
