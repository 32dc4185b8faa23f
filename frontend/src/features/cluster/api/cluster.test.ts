import { describe, expect, it } from 'vitest';
import { describeEvent, membersByShare, parseCluster, unownedShards } from './cluster';

const member = (nodeId: string, state: string, shards: number) => ({
  nodeId, address: `http://${nodeId}:9090/`, startedAt: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:01:00Z', state, shards, self: nodeId === 'n1',
});

const status = {
  nodeId: 'n1', shards: 256, shardsHere: 128, buffered: 0, forwarded: 12, unavailable: 0, handoffsInProgress: 0,
  members: [member('n3', 'down', 0), member('n2', 'up', 128), member('n1', 'up', 128)],
  events: [{ id: 3, at: '2026-01-01T00:01:00Z', kind: 'taken-over', from: 'n3', to: 'n2', shards: [1, 2, 3] }],
};

describe('parseCluster', () => {
  it('reads the members and events', () => {
    const parsed = parseCluster(status);
    expect(parsed.members).toHaveLength(3);
    expect(parsed.events[0]?.kind).toBe('taken-over');
  });

  it('refuses a member with an unknown state', () => {
    expect(() => parseCluster({ ...status, members: [member('n1', 'sleepy', 1)] })).toThrow(/member 0 is malformed/);
  });

  it('refuses an answer without members', () => {
    expect(() => parseCluster({ nodeId: 'n1', shards: 256, events: [] })).toThrow(/malformed/);
  });
});

describe('membersByShare', () => {
  it('lists live members first, by name, with their share of the shards', () => {
    const members = membersByShare(parseCluster(status));
    expect(members.map((m) => m.nodeId)).toEqual(['n1', 'n2', 'n3']);
    expect(members[0]?.share).toBe(0.5);
    expect(members[2]?.share).toBe(0);
  });
});

describe('unownedShards', () => {
  it('counts shards no live member holds', () => {
    expect(unownedShards(parseCluster(status))).toBe(0);
    expect(unownedShards(parseCluster({ ...status, members: [member('n1', 'up', 100)] }))).toBe(156);
  });
});

describe('describeEvent', () => {
  it('says who moved how many shards where', () => {
    expect(describeEvent(status.events[0]!)).toBe('n2 took over 3 shards from n3');
    expect(describeEvent({ id: 1, at: '', kind: 'handed-off', from: 'n1', to: 'n4', shards: [7] })).toBe('n1 handed 1 shard over to n4');
    expect(describeEvent({ id: 2, at: '', kind: 'member-down', from: 'n3', shards: [] })).toBe('n3 is down');
  });
});
