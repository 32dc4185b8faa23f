import { apiFetch } from '@/api/http';

/** One member as GET /api/v1/cluster describes it. */
export interface ClusterMember {
  nodeId: string;
  address: string;
  startedAt: string;
  lastSeen: string;
  state: 'up' | 'down' | 'left';
  shards: number;
  self: boolean;
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
  lastRoundAt?: string;
  lastError?: string;
}

const states = ['up', 'down', 'left'] as const;

/** Checks the answer's shape, so that a server of another version fails loudly here, not in rendering. */
export function parseCluster(body: unknown): ClusterStatus {
  const status = body as ClusterStatus;
  if (typeof status?.nodeId !== 'string' || typeof status.shards !== 'number' || !Array.isArray(status.members) || !Array.isArray(status.events)) {
    throw new Error('cluster answer is malformed');
  }
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

/** Members in display order (live ones first, then by name) with each one's share of the shards. */
export function membersByShare(status: ClusterStatus): Array<ClusterMember & { share: number }> {
  const rank = { up: 0, down: 1, left: 2 } as const;
  return [...status.members]
    .sort((a, b) => rank[a.state] - rank[b.state] || a.nodeId.localeCompare(b.nodeId))
    .map((member) => ({ ...member, share: status.shards > 0 ? member.shards / status.shards : 0 }));
}

/** Shards no live member holds right now (between owners, e.g. during a failover). */
export function unownedShards(status: ClusterStatus): number {
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
