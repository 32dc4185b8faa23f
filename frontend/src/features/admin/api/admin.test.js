import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKey, newKeyProblem, newOperatorProblem, parseKeys, parseOperators, revokeKey } from './admin';
afterEach(() => vi.unstubAllGlobals());
describe('new key and operator checks', () => {
    it('follows the server rules for key names and tags', () => {
        expect(newKeyProblem('gateway north', '')).toBeNull();
        expect(newKeyProblem('gateway north', 'site:north')).toBeNull();
        expect(newKeyProblem('   ', '')).toMatch(/name/);
        expect(newKeyProblem('x'.repeat(101), '')).toMatch(/name/);
        expect(newKeyProblem('ok', 'has space')).toMatch(/tag/);
    });
    it('follows the server rules for user names and chosen passwords', () => {
        expect(newOperatorProblem('ann.ops@site', '')).toBeNull();
        expect(newOperatorProblem('ann', 'long enough pass')).toBeNull();
        expect(newOperatorProblem('ann smith', '')).toMatch(/user name/);
        expect(newOperatorProblem('änn', '')).toMatch(/user name/);
        expect(newOperatorProblem('ann', 'short')).toMatch(/12/);
    });
});
describe('lists', () => {
    it('reads keys and operators and refuses malformed lists', () => {
        expect(parseKeys({ items: [{ keyId: 'a1', name: 'n', createdAt: 't', createdBy: 'x' }] })).toHaveLength(1);
        expect(() => parseKeys({ items: [{ name: 'n' }] })).toThrow(/malformed/);
        expect(parseOperators({ items: [{ user: 'ann', role: 'viewer' }] })[0]?.user).toBe('ann');
        expect(() => parseOperators({})).toThrow(/malformed/);
    });
});
describe('calls', () => {
    it('creates a key with a null tag when none is given and returns the key shown once', async () => {
        const fetchMock = vi.fn(async () => new Response(JSON.stringify({ keyId: 'a1', name: 'n', key: 'fhk_a1_s', createdAt: 't', createdBy: 'x' }), { status: 201 }));
        vi.stubGlobal('fetch', fetchMock);
        const created = await createKey('', ' n ', '');
        expect(created.key).toBe('fhk_a1_s');
        const init = fetchMock.mock.calls[0][1];
        expect(JSON.parse(init.body)).toEqual({ name: 'n', tag: null });
    });
    it('turns a refusal into the server\'s own words', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ title: 'Unknown ingest key', detail: "No ingest key 'a1'." }), { status: 404 })));
        await expect(revokeKey('', 'a1')).rejects.toThrow("No ingest key 'a1'.");
    });
});
