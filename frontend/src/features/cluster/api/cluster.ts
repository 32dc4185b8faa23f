import { failedResponse } from '@/api/fetchError';
import { apiFetch } from '@/api/http';

/** Akka.NET's member statuses, and `unreachable` as the serving node's failure detector sees it. */
export const memberStates = ['joining', 'weakly-up', 'up', 'leaving', 'exiting', 'unreachable', 'down', 'removed'] as const;

export type MemberState = (typeof memberStates)[number];

/** One member as GET /api/v1/cluster describes it. */
export interface ClusterMember {
  nodeId: string;
  address: string;
  state: MemberState;
  shards: number;
  self: boolean;
  roles: string[];
}

/** This node's view of the cluster. */
export interface ClusterStatus {
  nodeId: string;
  address: string;
  shards: number;
  shardsHere: number;
  members: ClusterMember[];
  unavailable: number;
  lastError?: string | null;
}

/** Checks the answer's shape, so that a server of another version fails loudly here, not in rendering. */
export function parseCluster(body: unknown): ClusterStatus {
  const status = body as ClusterStatus;
  if (typeof status?.nodeId !== 'string' || typeof status.shards !== 'number' || !Array.isArray(status.members)) {
    throw new Error('cluster answer is malformed');
  }
  status.members.forEach((member, i) => {
    if (typeof member?.nodeId !== 'string' || typeof member.shards !== 'number' || !(memberStates as readonly string[]).includes(member.state) || !Array.isArray(member.roles)) {
      throw new Error(`cluster member ${i} is malformed`);
    }
  });
  return status;
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
};

export function stateTone(state: MemberState): StateTone {
  return tones[state];
}

/** What a member's state means for its shards, for an operator (the tooltip of the state). */
export function describeState(state: MemberState): string {
  switch (state) {
    case 'up': return 'a full member: hosts shards';
    case 'joining': return 'joining: waits for the leader to let it in (no shards yet)';
    case 'weakly-up': return 'up while another member is unreachable: serves, but gets no shards until the cluster agrees again';
    case 'leaving': return 'leaving: hands its shards over to the others';
    case 'exiting': return 'exiting: its shards are handed over; it is about to be removed';
    case 'unreachable': return 'unreachable: missed heartbeats; downed if it stays so, and its shards answer 503 until they move';
    case 'down': return 'down: about to be removed, then its shards start on the others';
    case 'removed': return 'removed from the cluster';
  }
}

/** The state as text ("weakly up" rather than the wire's "weakly-up"). */
export function stateLabel(state: MemberState): string {
  return state.replace('-', ' ');
}

const rank: Record<MemberState, number> = {
  up: 0, 'weakly-up': 1, joining: 2, leaving: 3, exiting: 4, unreachable: 5, down: 6, removed: 7,
};

/** A shard exists once one of its sensors is used, so the members' shards are the shards in use. */
export function shardsInUse(status: ClusterStatus): number {
  return status.members.reduce((sum, m) => sum + m.shards, 0);
}

/** Members in display order (serving ones first, then by name) with each one's share of the shards in use. */
export function membersByShare(status: ClusterStatus): Array<ClusterMember & { share: number }> {
  const total = shardsInUse(status);
  return [...status.members]
    .sort((a, b) => rank[a.state] - rank[b.state] || a.nodeId.localeCompare(b.nodeId))
    .map((member) => ({ ...member, share: total > 0 ? member.shards / total : 0 }));
}

/** Shards that cannot answer right now (e.g. during a failover): those held by unreachable or downed members. */
export function unownedShards(status: ClusterStatus): number {
  return status.members.filter((m) => stateTone(m.state) === 'bad').reduce((sum, m) => sum + m.shards, 0);
}

export async function fetchCluster(apiBase: string, signal?: AbortSignal): Promise<ClusterStatus> {
  const response = await apiFetch(`${apiBase}/api/v1/cluster`, { signal });
  if (!response.ok) throw await failedResponse(response);
  return parseCluster(await response.json());
}
