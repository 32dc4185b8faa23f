import { describe, expect, it } from 'vitest';
import { applyMessage, emptyFleet, markReconnecting, MAX_TRANSITIONS, watch } from './fleetStore';
const sensor = (id, status = 'healthy', count = 1) => ({ id, status, count, tags: [], meanInterval: 60, lostBeats: 0 });
const snapshot = (sensors, extra = {}) => ({
    type: 'snapshot', snapshotId: 1, reason: 'connect', at: '', live: true, filter: {}, counts: { healthy: sensors.length },
    total: sensors.length, matched: sensors.length, limit: 100000, truncated: false, sensors, complete: true, ...extra,
});
const delta = (extra) => ({ type: 'delta', at: '', upserts: [], removes: [], transitions: [], transitionsDropped: 0, ...extra });
describe('fleet store', () => {
    it('a snapshot replaces everything held', () => {
        let state = applyMessage(emptyFleet(), snapshot([sensor('a'), sensor('b')]));
        state = applyMessage(state, snapshot([sensor('c')], { snapshotId: 2, reason: 'resync' }));
        expect([...state.sensors.keys()]).toEqual(['c']);
        expect(state.synced).toBe(true);
    });
    it('a snapshot in parts applies only when complete, and ignores parts of another snapshot', () => {
        let state = applyMessage(emptyFleet(), snapshot([sensor('old')]));
        state = applyMessage(state, snapshot([sensor('a')], { snapshotId: 5, complete: false }));
        expect([...state.sensors.keys()]).toEqual(['old']);
        state = applyMessage(state, { type: 'snapshotPart', snapshotId: 4, sensors: [sensor('x')], complete: true });
        expect(state.pending?.sensors.map((s) => s.id)).toEqual(['a']);
        state = applyMessage(state, { type: 'snapshotPart', snapshotId: 5, sensors: [sensor('b')], complete: true });
        expect([...state.sensors.keys()]).toEqual(['a', 'b']);
        expect(state.pending).toBeNull();
    });
    it('deltas upsert the latest row, remove ids, and replace counts when given', () => {
        let state = applyMessage(emptyFleet(), snapshot([sensor('a'), sensor('b')]));
        state = applyMessage(state, delta({ upserts: [sensor('a', 'late', 7), sensor('n')], removes: ['b', 'never-held'] }));
        expect(state.sensors.get('a')).toMatchObject({ status: 'late', count: 7 });
        expect([...state.sensors.keys()].sort()).toEqual(['a', 'n']);
        expect(state.counts).toEqual({ healthy: 2 });
        state = applyMessage(state, delta({ counts: { healthy: 1, late: 1 } }));
        expect(state.counts).toEqual({ healthy: 1, late: 1 });
        expect(state.total).toBe(2);
    });
    it('keeps the newest transitions first, bounded', () => {
        let state = emptyFleet();
        for (let i = 1; i <= MAX_TRANSITIONS + 20; i += 2) {
            state = applyMessage(state, delta({ transitions: [
                    { id: i, sensorId: 's', from: 'healthy', to: 'late', at: '' },
                    { id: i + 1, sensorId: 's', from: 'late', to: 'healthy', at: '' },
                ] }));
        }
        expect(state.transitions).toHaveLength(MAX_TRANSITIONS);
        expect(state.transitions[0]?.id).toBe(MAX_TRANSITIONS + 20);
    });
    it('takes sensor detail only for the watched sensor, and deltas refresh it', () => {
        let state = watch(emptyFleet(), 'a');
        state = applyMessage(state, { type: 'sensor', sensorId: 'other', sensor: null });
        expect(state.watched).toBeNull();
        state = applyMessage(state, { type: 'sensor', sensorId: 'a', sensor: { sensorId: 'a', status: 'healthy', heartbeatCount: 1, tags: [], meanIntervalSeconds: 60, intervalStdDevSeconds: 0, lostBeats: 0 } });
        state = applyMessage(state, delta({ upserts: [sensor('a', 'stale', 9)] }));
        expect(state.watched).toMatchObject({ status: 'stale', heartbeatCount: 9 });
    });
    it('feed interruptions and reconnects mark the view as not synced', () => {
        let state = applyMessage(emptyFleet(), snapshot([sensor('a')]));
        state = applyMessage(state, { type: 'feed', state: 'interrupted' });
        expect(state.feed).toBe('interrupted');
        state = markReconnecting(state);
        expect(state.synced).toBe(false);
        expect(state.sensors.size).toBe(1);
    });
});
