import { describe, expect, it } from 'vitest';
import { describeSetting, downtimeEpisodes } from './sensorData';
const change = (id, from, to, at) => ({ id, from, to, at: `2026-11-23T${at}:00Z`, reason: '' });
const t = (hhmm) => Date.parse(`2026-11-23T${hhmm}:00Z`);
describe('downtime episodes', () => {
    it('joins runs through bad states into one episode named by the worst', () => {
        const episodes = downtimeEpisodes([
            change(1, 'registered', 'healthy', '10:00'),
            change(2, 'healthy', 'late', '10:10'),
            change(3, 'late', 'stale', '10:20'),
            change(4, 'stale', 'healthy', '10:40'),
            change(5, 'healthy', 'fault', '11:00'),
        ], t('12:00'));
        expect(episodes).toEqual([
            { state: 'stale', from: t('10:10'), to: t('10:40'), ongoing: false },
            { state: 'fault', from: t('11:00'), to: t('12:00'), ongoing: true },
        ]);
    });
    it('has none for a healthy history', () => {
        expect(downtimeEpisodes([change(1, 'registered', 'healthy', '10:00')], t('12:00'))).toEqual([]);
    });
});
describe('effective settings', () => {
    it('says where each value came from', () => {
        expect(describeSetting(15, { kind: 'tag', tag: 'site:north' })).toBe('15 s (tag site:north)');
        expect(describeSetting(30, { kind: 'sensor' })).toBe('30 s (own setting)');
        expect(describeSetting(60, { kind: 'fleet' })).toBe('60 s (fleet default)');
        expect(describeSetting(0.5, { kind: 'fleet' })).toBe('0.50 s (fleet default)');
    });
});
