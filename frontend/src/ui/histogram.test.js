import { describe, expect, it } from 'vitest';
import { histogram } from './histogram';
import { ago, duration, percent } from './format';
describe('histogram', () => {
    it('spreads values over equal bins, max in the last', () => {
        expect(histogram([0, 1, 2, 3, 4, 10], 2).map((b) => b.count)).toEqual([5, 1]);
        expect(histogram([5, 5, 5], 4)).toEqual([{ from: 5, to: 5, count: 3 }]);
        expect(histogram([NaN], 3)).toEqual([]);
    });
});
describe('format', () => {
    it('says durations and ages in sensible units', () => {
        expect(duration(42)).toBe('42 s');
        expect(duration(600)).toBe('10 min');
        expect(duration(7200)).toBe('2.0 h');
        expect(ago('2026-11-23T12:00:00Z', Date.parse('2026-11-23T12:05:00Z'))).toBe('5 min ago');
        expect(ago(undefined)).toBe('never');
        expect(percent(0.1234)).toBe('12.3 %');
    });
});
