import { describe, expect, it } from 'vitest';
import { MAX_SECONDS, parseSeconds, parseTagList, tagError, tagPath } from './tags';
describe('tag settings form', () => {
    it('reads empty as inherit and checks the bounds the server enforces', () => {
        expect(parseSeconds('', 'interval')).toEqual({ value: null });
        expect(parseSeconds(' 15 ', 'interval')).toEqual({ value: 15 });
        expect(parseSeconds('0', 'grace')).toEqual({ value: 0 });
        expect(parseSeconds('0', 'interval')).toHaveProperty('error');
        expect(parseSeconds('-1', 'grace')).toHaveProperty('error');
        expect(parseSeconds(String(MAX_SECONDS + 1), 'interval')).toHaveProperty('error');
        expect(parseSeconds('ten', 'interval')).toHaveProperty('error');
        expect(parseSeconds('Infinity', 'grace')).toHaveProperty('error');
    });
    it('accepts tags of the server alphabet only', () => {
        expect(tagError('site:north/bay-3')).toBeNull();
        expect(tagError('')).not.toBeNull();
        expect(tagError('bad tag')).not.toBeNull();
        expect(tagError('x'.repeat(65))).not.toBeNull();
    });
    it('encodes a slash in the path', () => {
        expect(tagPath('', 'site/west')).toBe('/api/v1/tags/site%2Fwest');
    });
});
describe('tag list answer', () => {
    it('accepts the server shape and refuses others', () => {
        const list = parseTagList({ fleetIntervalSeconds: 60, fleetGraceSeconds: 30, items: [{ tag: 'a', sensors: 2, intervalSeconds: 10 }] });
        expect(list.items[0]?.tag).toBe('a');
        expect(() => parseTagList({ items: [] })).toThrow();
        expect(() => parseTagList({ fleetIntervalSeconds: 60, fleetGraceSeconds: 30, items: [{ sensors: 1 }] })).toThrow();
    });
});
