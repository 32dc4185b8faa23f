import { describe, expect, it } from 'vitest';
import { parseReadiness } from './readiness';
describe('parseReadiness', () => {
    it('reads a ready answer', () => {
        expect(parseReadiness({ status: 'ready', schemaVersion: 1, expectedSchemaVersion: 1 }).status).toBe('ready');
    });
    it('refuses an answer without a status', () => {
        expect(() => parseReadiness({ schemaVersion: 1 })).toThrow(/no status/);
    });
});
