import { describe, expect, it } from 'vitest';
import { summarize } from './summary';
describe('fleet summary', () => {
    it('takes the fleet rows of the analytics answers', () => {
        const summary = summarize({ rows: [{ tag: 'site:a', silent_share: 0.9 }, { tag: null, sensors: 10, silent: 2, silent_share: 0.2 }] }, { rows: [{ scope: 'sensor', key: 'a', mean_seconds: 1 }, { scope: 'fleet', key: null, mean_seconds: 59.5 }] }, { rows: [{ days: 1, survival: 0.9, median_days: '12.5' }] });
        expect(summary).toEqual({ silentShare: 0.2, silent: 2, meanIntervalSeconds: 59.5, medianLifespanDays: 12.5 });
    });
    it('is empty, not wrong, for an empty fleet', () => {
        expect(summarize({ rows: [] }, {}, null)).toEqual({ silentShare: null, silent: null, meanIntervalSeconds: null, medianLifespanDays: null });
    });
});
