import { describe, expect, it } from 'vitest';
import { describeEvent, describeState, membersByShare, parseCluster, shardsInUse, stateLabel, stateTone, unownedShards } from './cluster';

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

// On Akka.NET: members named host:port, no times, Akka's statuses, shards started on first use.
const akkaMember = (port: number, state: string, shards: number, self = false) => ({
  nodeId: `10.0.0.1:${port}`, address: `akka.tcp://fleethealth@10.0.0.1:${port}`, startedAt: null, lastSeen: null, state, shards, self, roles: [],
});

const akka = {
  nodeId: '10.0.0.1:4053', address: 'akka.tcp://fleethealth@10.0.0.1:4053', shards: 256, shardsHere: 10, buffered: 0, forwarded: 0, unavailable: 3,
  handoffsInProgress: 0, lastRoundAt: null, lastError: null, engine: 'akka',
  members: [akkaMember(4055, 'unreachable', 8), akkaMember(4054, 'up', 12), akkaMember(4053, 'up', 10, true), akkaMember(4056, 'joining', 0)],
  events: [],
};

describe('the cluster on Akka.NET', () => {
  it('reads every Akka member status and unreachable', () => {
    for (const state of ['joining', 'weakly-up', 'up', 'leaving', 'exiting', 'unreachable', 'down', 'removed']) {
      expect(parseCluster({ ...akka, members: [akkaMember(4053, state, 0)] }).members[0]?.state).toBe(state);
    }
  });

  it('refuses a legacy state from an Akka node and an Akka state from a legacy node', () => {
    expect(() => parseCluster({ ...akka, members: [akkaMember(4053, 'left', 0)] })).toThrow(/member 0 is malformed/);
    expect(() => parseCluster({ ...status, members: [member('n1', 'exiting', 1)] })).toThrow(/member 0 is malformed/);
    expect(() => parseCluster({ ...akka, engine: 'erlang' })).toThrow(/engine erlang is unknown/);
  });

  it('counts the shards in use, not the configured maximum, and shares them among the members', () => {
    const parsed = parseCluster(akka);
    expect(shardsInUse(parsed)).toBe(30);
    const members = membersByShare(parsed);
    expect(members.map((m) => [m.nodeId, m.state])).toEqual([
      ['10.0.0.1:4053', 'up'], ['10.0.0.1:4054', 'up'], ['10.0.0.1:4056', 'joining'], ['10.0.0.1:4055', 'unreachable'],
    ]);
    expect(members[1]?.share).toBe(0.4);
  });

  it('counts as between owners only the shards of unreachable or downed members', () => {
    expect(unownedShards(parseCluster(akka))).toBe(8);
    expect(unownedShards(parseCluster({ ...akka, members: [akkaMember(4053, 'up', 10), akkaMember(4054, 'leaving', 5)] }))).toBe(0);
  });

  it('tells states apart at a glance and explains them', () => {
    expect(['up', 'joining', 'weakly-up', 'leaving', 'exiting', 'unreachable', 'down', 'removed', 'left'].map((s) => stateTone(s as never)))
      .toEqual(['ok', 'pending', 'pending', 'leaving', 'leaving', 'bad', 'bad', 'gone', 'gone']);
    expect(stateLabel('weakly-up')).toBe('weakly up');
    expect(describeState('unreachable', true)).toMatch(/503/);
    expect(describeState('down', false)).toMatch(/taken over/);
  });

  it('keeps a server without the engine field on the legacy reading', () => {
    const { engine: _, ...old } = { ...status, engine: 'legacy' };
    expect(shardsInUse(parseCluster(old))).toBe(256);
  });
});
