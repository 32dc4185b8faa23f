import { apiFetch } from '@/api/http';

/** The home-made cluster's member states (engine `legacy`). */
export const legacyStates = ['up', 'down', 'left'] as const;

/** Akka.NET's member statuses, and `unreachable` as the serving node's failure detector sees it (engine `akka`). */
export const akkaStates = ['joining', 'weakly-up', 'up', 'leaving', 'exiting', 'unreachable', 'down', 'removed'] as const;

export type MemberState = (typeof legacyStates)[number] | (typeof akkaStates)[number];

/** One member as GET /api/v1/cluster describes it. On Akka the times are null and roles are set. */
export interface ClusterMember {
  nodeId: string;
  address: string;
  startedAt: string | null;
  lastSeen: string | null;
  state: MemberState;
  shards: number;
  self: boolean;
  roles?: string[] | null;
}

/** A rebalance, takeover, allocation or membership change. */
export interface ClusterEvent {
  id: number;
  at: string;
  kind: string;
  from?: string;
  to?: string;
  shards: number[];
}

/** This node's view of the cluster. */
export interface ClusterStatus {
  nodeId: string;
  address?: string;
  shards: number;
  shardsHere: number;
  members: ClusterMember[];
  events: ClusterEvent[];
  buffered: number;
  forwarded: number;
  unavailable: number;
  handoffsInProgress: number;
  lastRoundAt?: string | null;
  lastError?: string | null;
  /** Absent from servers before the Akka engine: legacy. */
  engine?: 'legacy' | 'akka';
}

/** Checks the answer's shape, so that a server of another version fails loudly here, not in rendering. */
export function parseCluster(body: unknown): ClusterStatus {
  const status = body as ClusterStatus;
  if (typeof status?.nodeId !== 'string' || typeof status.shards !== 'number' || !Array.isArray(status.members) || !Array.isArray(status.events)) {
    throw new Error('cluster answer is malformed');
  }
  if (status.engine !== undefined && status.engine !== 'legacy' && status.engine !== 'akka') throw new Error(`cluster engine ${String(status.engine)} is unknown`);
  const states = isAkka(status) ? akkaStates as readonly string[] : legacyStates as readonly string[];
  status.members.forEach((member, i) => {
    if (typeof member?.nodeId !== 'string' || typeof member.shards !== 'number' || !states.includes(member.state)) {
      throw new Error(`cluster member ${i} is malformed`);
    }
  });
  status.events.forEach((event, i) => {
    if (typeof event?.kind !== 'string' || !Array.isArray(event.shards)) throw new Error(`cluster event ${i} is malformed`);
  });
  return status;
}

export function isAkka(status: ClusterStatus): boolean {
  return status.engine === 'akka';
}

/** How a state reads at a glance: serving, on its way in, on its way out, failing, gone. */
export type StateTone = 'ok' | 'pending' | 'leaving' | 'bad' | 'gone';

const tones: Record<MemberState, StateTone> = {
  up: 'ok',
  joining: 'pending',
  'weakly-up': 'pending',
  leaving: 'leaving',
  exiting: 'leaving',
  unreachable: 'bad',
  down: 'bad',
  removed: 'gone',
  left: 'gone',
};

export function stateTone(state: MemberState): StateTone {
  return tones[state];
}

/** What a member's state means for its shards, for an operator (the tooltip of the state). */
export function describeState(state: MemberState, akka: boolean): string {
  switch (state) {
    case 'up': return akka ? 'a full member: hosts shards' : 'renewing its membership: holds shards';
    case 'joining': return 'joining: waits for the leader to let it in (no shards yet)';
    case 'weakly-up': return 'up while another member is unreachable: serves, but gets no shards until the cluster agrees again';
    case 'leaving': return 'leaving: hands its shards over to the others';
    case 'exiting': return 'exiting: its shards are handed over; it is about to be removed';
    case 'unreachable': return 'unreachable: missed heartbeats; downed if it stays so, and its shards answer 503 until they move';
    case 'down': return akka ? 'down: about to be removed, then its shards start on the others' : 'silent past the down-after time: its shards are taken over';
    case 'removed': return 'removed from the cluster';
    case 'left': return 'stopped cleanly';
  }
}

/** The state as text ("weakly up" rather than the wire's "weakly-up"). */
export function stateLabel(state: MemberState): string {
  return state.replace('-', ' ');
}

const rank: Record<MemberState, number> = {
  up: 0, 'weakly-up': 1, joining: 2, leaving: 3, exiting: 4, unreachable: 5, down: 6, removed: 7, left: 8,
};

/**
 * On Akka a shard exists once one of its sensors is used, so the members' shards are the shards in
 * use; on the legacy cluster every shard always has a lease, so they are all of them.
 */
export function shardsInUse(status: ClusterStatus): number {
  return isAkka(status) ? status.members.reduce((sum, m) => sum + m.shards, 0) : status.shards;
}

/** Members in display order (serving ones first, then by name) with each one's share of the shards in use. */
export function membersByShare(status: ClusterStatus): Array<ClusterMember & { share: number }> {
  const total = shardsInUse(status);
  return [...status.members]
    .sort((a, b) => rank[a.state] - rank[b.state] || a.nodeId.localeCompare(b.nodeId))
    .map((member) => ({ ...member, share: total > 0 ? member.shards / total : 0 }));
}

/**
 * Shards that cannot answer right now (between owners, e.g. during a failover): on the legacy
 * cluster those no live member holds, on Akka those held by unreachable or downed members.
 */
export function unownedShards(status: ClusterStatus): number {
  if (isAkka(status)) return status.members.filter((m) => stateTone(m.state) === 'bad').reduce((sum, m) => sum + m.shards, 0);
  return status.shards - status.members.filter((m) => m.state === 'up').reduce((sum, m) => sum + m.shards, 0);
}

/** "n2 took over 43 shards from n3": one line per event. */
export function describeEvent(event: ClusterEvent): string {
  const count = `${event.shards.length} shard${event.shards.length === 1 ? '' : 's'}`;
  switch (event.kind) {
    case 'allocated': return `${event.to} took ${count}`;
    case 'taken-over': return `${event.to} took over ${count} from ${event.from}`;
    case 'reclaimed': return `${event.to} took back ${count} after a restart`;
    case 'handed-off': return `${event.from} handed ${count} over to ${event.to}`;
    case 'released': return `${event.from} released ${count}`;
    case 'member-joined': return `${event.to} joined`;
    case 'member-down': return `${event.from} is down`;
    case 'member-left': return `${event.from} left`;
    default: return event.kind;
  }
}

export async function fetchCluster(apiBase: string, signal?: AbortSignal): Promise<ClusterStatus> {
  const response = await apiFetch(`${apiBase}/api/v1/cluster`, { signal });
  if (!response.ok) throw new Error(`cluster answered ${response.status}`);
  return parseCluster(await response.json());
}
