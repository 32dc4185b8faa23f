import { describe, expect, it } from 'vitest';
import { fleetRow, perSensor, survivalCurve } from './analytics';
describe('analytics rows', () => {
    it('builds the survival curve from lifespan rows, starting at 1', () => {
        expect(survivalCurve([{ days: '2.5', survival: 0.5 }, { days: 1, survival: 0.9 }, { days: null, survival: 1 }]))
            .toEqual([{ x: 0, y: 1 }, { x: 1, y: 0.9 }, { x: 2.5, y: 0.5 }]);
    });
    it('draws the fleet curve only, not the per-tag ones', () => {
        expect(survivalCurve([{ tag: null, days: 1, survival: 0.9 }, { tag: 'north', days: 0.5, survival: 0.2 }]))
            .toEqual([{ x: 0, y: 1 }, { x: 1, y: 0.9 }]);
    });
    it('separates per-sensor rows from the fleet row', () => {
        const rows = [{ scope: 'fleet', mean_seconds: 60 }, { scope: 'tag', mean_seconds: 1 }, { scope: 'sensor', mean_seconds: 58 }, { scope: 'sensor', mean_seconds: 'x' }];
        expect(perSensor(rows, 'mean_seconds')).toEqual([58]);
        expect(fleetRow(rows)?.mean_seconds).toBe(60);
        expect(fleetRow([{ sensor_id: null, lost_rate: 0.1 }, { sensor_id: 'a' }])?.lost_rate).toBe(0.1);
    });
});
