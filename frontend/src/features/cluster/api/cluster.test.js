import { describe, expect, it } from 'vitest';
import { describeState, membersByShare, parseCluster, shardsInUse, stateLabel, stateTone, unownedShards } from './cluster';
// Members named host:port, Akka's statuses, shards started on first use.
const member = (port, state, shards, self = false) => ({
    nodeId: `10.0.0.1:${port}`, address: `akka.tcp://fleethealth@10.0.0.1:${port}`, state, shards, self, roles: [],
});
const status = {
    nodeId: '10.0.0.1:4053', address: 'akka.tcp://fleethealth@10.0.0.1:4053', shards: 256, shardsHere: 10, unavailable: 3, lastError: null,
    members: [member(4055, 'unreachable', 8), member(4054, 'up', 12), member(4053, 'up', 10, true), member(4056, 'joining', 0)],
};
describe('parseCluster', () => {
    it('reads every Akka member status and unreachable', () => {
        for (const state of ['joining', 'weakly-up', 'up', 'leaving', 'exiting', 'unreachable', 'down', 'removed']) {
            expect(parseCluster({ ...status, members: [member(4053, state, 0)] }).members[0]?.state).toBe(state);
        }
    });
    it('refuses a member with an unknown state or without roles', () => {
        expect(() => parseCluster({ ...status, members: [member(4053, 'left', 0)] })).toThrow(/member 0 is malformed/);
        expect(() => parseCluster({ ...status, members: [{ ...member(4053, 'up', 1), roles: undefined }] })).toThrow(/member 0 is malformed/);
    });
    it('refuses an answer without members', () => {
        expect(() => parseCluster({ nodeId: 'n1', shards: 256 })).toThrow(/malformed/);
    });
});
describe('the shards', () => {
    it('counts the shards in use, not the configured maximum, and shares them among the members', () => {
        const parsed = parseCluster(status);
        expect(shardsInUse(parsed)).toBe(30);
        const members = membersByShare(parsed);
        expect(members.map((m) => [m.nodeId, m.state])).toEqual([
            ['10.0.0.1:4053', 'up'], ['10.0.0.1:4054', 'up'], ['10.0.0.1:4056', 'joining'], ['10.0.0.1:4055', 'unreachable'],
        ]);
        expect(members[1]?.share).toBe(0.4);
    });
    it('counts as unable to answer only the shards of unreachable or downed members', () => {
        expect(unownedShards(parseCluster(status))).toBe(8);
        expect(unownedShards(parseCluster({ ...status, members: [member(4053, 'up', 10), member(4054, 'leaving', 5)] }))).toBe(0);
    });
});
describe('member states', () => {
    it('tells states apart at a glance and explains them', () => {
        expect(['up', 'joining', 'weakly-up', 'leaving', 'exiting', 'unreachable', 'down', 'removed'].map((s) => stateTone(s)))
            .toEqual(['ok', 'pending', 'pending', 'leaving', 'leaving', 'bad', 'bad', 'gone']);
        expect(stateLabel('weakly-up')).toBe('weakly up');
        expect(describeState('unreachable')).toMatch(/503/);
        expect(describeState('down')).toMatch(/start on the others/);
    });
});
