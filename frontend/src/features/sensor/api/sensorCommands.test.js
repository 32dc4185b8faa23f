import { afterEach, describe, expect, it, vi } from 'vitest';
import { commandFor, sendSensorCommand } from './sensorCommands';
afterEach(() => vi.unstubAllGlobals());
describe('sensor commands', () => {
    it('offers reactivation for a retired sensor and retirement otherwise', () => {
        expect(commandFor('retired')).toBe('reactivate');
        expect(['healthy', 'late', 'stale', 'dead', 'registered', 'fault'].map(commandFor)).toEqual(Array(6).fill('retire'));
    });
    it('posts to the command path with an encoded id and reports a refusal in the server\'s words', async () => {
        const fetchMock = vi.fn(async () => new Response(JSON.stringify({ title: 'Forbidden', detail: 'Your role does not allow this.' }), { status: 403 }));
        vi.stubGlobal('fetch', fetchMock);
        await expect(sendSensorCommand('', 'a:b/c', 'retire')).rejects.toThrow('Your role does not allow this.');
        expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/sensors/a%3Ab%2Fc/retire');
    });
});
