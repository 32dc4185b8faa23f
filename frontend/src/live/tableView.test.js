import { describe, expect, it } from 'vitest';
import { tableRows, visibleWindow } from './tableView';
const s = (id, status, tags = [], count = 0) => ({ id, status, tags, count, meanInterval: 60, lostBeats: 0 });
const fleet = [s('b-2', 'healthy', ['site:a'], 5), s('A-1', 'dead', ['site:b'], 9), s('c-3', 'late', ['site:a'], 1), s('d-4', 'healthy', [], 5)];
describe('table rows', () => {
    it('filters by state, tag and case-insensitive id text', () => {
        const ids = (f) => tableRows(fleet, f, { key: 'id', descending: false }).map((r) => r.id);
        expect(ids({ state: 'healthy' })).toEqual(['b-2', 'd-4']);
        expect(ids({ tag: 'site:a' })).toEqual(['b-2', 'c-3']);
        expect(ids({ text: 'a-' })).toEqual(['A-1']);
        expect(ids({ state: 'healthy', tag: 'site:a', text: 'B' })).toEqual(['b-2']);
    });
    it('sorts by a column either way, worst state first, ties by id', () => {
        expect(tableRows(fleet, {}, { key: 'status', descending: false }).map((r) => r.id)).toEqual(['A-1', 'c-3', 'b-2', 'd-4']);
        expect(tableRows(fleet, {}, { key: 'count', descending: true }).map((r) => r.id)).toEqual(['A-1', 'b-2', 'd-4', 'c-3']);
    });
    it('filters and sorts 100,000 rows', () => {
        const many = Array.from({ length: 100_000 }, (_, i) => s(`s-${String((i * 7919) % 100_000).padStart(6, '0')}`, i % 3 ? 'healthy' : 'late', [], i));
        const rows = tableRows(many, { state: 'late' }, { key: 'id', descending: false });
        expect(rows).toHaveLength(33_334);
        expect(rows.every((r, i) => i === 0 || rows[i - 1].id < r.id)).toBe(true);
    });
});
describe('visible window', () => {
    it('renders only the rows in view plus overscan', () => {
        expect(visibleWindow(0, 300, 30, 100_000, 5)).toEqual({ start: 0, end: 15, offsetTop: 0, totalHeight: 3_000_000 });
        expect(visibleWindow(30_000, 300, 30, 100_000, 5)).toEqual({ start: 995, end: 1015, offsetTop: 29_850, totalHeight: 3_000_000 });
    });
    it('clamps at the ends', () => {
        expect(visibleWindow(1e9, 300, 30, 10, 5)).toMatchObject({ start: 10, end: 10 });
        expect(visibleWindow(-50, 300, 30, 3, 5)).toMatchObject({ start: 0, end: 3 });
    });
});
describe('incremental rows', () => {
    it('equal a full recompute after upserts, removes and filter leavers', async () => {
        const { applyMessage, emptyFleet } = await import('./fleetStore');
        const { changesSince, updateRows } = await import('./tableView');
        const rows = Array.from({ length: 500 }, (_, i) => s(`s-${i}`, ['healthy', 'late', 'dead'][i % 3], [], i));
        let state = applyMessage(emptyFleet(), { type: 'snapshot', snapshotId: 1, reason: 'connect', at: '', live: true, filter: {}, counts: {}, total: 500, matched: 500, limit: 1e5, truncated: false, sensors: rows, complete: true });
        const sort = { key: 'status', descending: false };
        const filter = { text: '1' };
        const since = state.version;
        let view = tableRows(state.sensors.values(), filter, sort);
        for (let k = 0; k < 5; k++) {
            state = applyMessage(state, { type: 'delta', at: '', upserts: [s(`s-${k * 7}`, 'dead', [], 1), s(`new-1${k}`, 'late')], removes: [`s-${k * 11 + 1}`], transitions: [], transitionsDropped: 0 });
        }
        const changed = changesSince(state, since);
        expect(changed).not.toBeNull();
        view = updateRows(view, changed, state.sensors, filter, sort);
        expect(view.map((r) => r.id)).toEqual(tableRows(state.sensors.values(), filter, sort).map((r) => r.id));
    });
    it('keep a descending sort when changed rows land at both ends and in between', async () => {
        const { updateRows } = await import('./tableView');
        const sort = { key: 'count', descending: true };
        const sensors = new Map(Array.from({ length: 50 }, (_, i) => [`s-${i}`, s(`s-${i}`, 'healthy', [], i)]));
        const before = tableRows(sensors.values(), {}, sort);
        for (const [id, count] of [['s-3', 1000], ['s-40', -1], ['s-20', 20], ['s-7', 33]])
            sensors.set(id, s(id, 'healthy', [], count));
        sensors.set('s-new', s('s-new', 'healthy', [], 25));
        sensors.delete('s-11');
        const after = updateRows(before, new Set(['s-3', 's-40', 's-20', 's-7', 's-new', 's-11']), sensors, {}, sort);
        expect(after.map((r) => r.id)).toEqual(tableRows(sensors.values(), {}, sort).map((r) => r.id));
    });
    it('asks for a full recompute across a snapshot', async () => {
        const { changesSince } = await import('./tableView');
        expect(changesSince({ version: 9, resetVersion: 8, recentChanges: [] }, 5)).toBeNull();
        expect(changesSince({ version: 9, resetVersion: 2, recentChanges: [{ version: 9, ids: ['a'] }] }, 5)).toEqual(new Set(['a']));
    });
});
