import { afterEach, describe, expect, it, vi } from 'vitest';
import { changeOwnPassword } from './password';
afterEach(() => vi.unstubAllGlobals());
describe('changeOwnPassword', () => {
    it('posts both passwords as JSON and reads 204 as done', async () => {
        const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
        vi.stubGlobal('fetch', fetchMock);
        expect(await changeOwnPassword('http://x', 'old phrase', 'a new long phrase')).toEqual({ ok: true });
        const [url, init] = fetchMock.mock.calls[0];
        expect(url).toBe('http://x/api/v1/auth/password');
        expect(init.method).toBe('POST');
        expect(JSON.parse(init.body)).toEqual({ currentPassword: 'old phrase', newPassword: 'a new long phrase' });
        expect(init.headers['content-type']).toBe('application/json');
    });
    it('says the current password is wrong on 403', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response('{"title":"Password change refused"}', { status: 403 })));
        expect(await changeOwnPassword('', 'x', 'y')).toEqual({ ok: false, message: 'The current password is wrong.' });
    });
    it('says how long to wait when throttled', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 429, headers: { 'retry-after': '30' } })));
        expect(await changeOwnPassword('', 'x', 'y')).toEqual({ ok: false, message: 'Too many failed attempts; try again in 30 s.' });
    });
    it('names what was wrong with a weak new password', async () => {
        const problem = { title: 'Bad password change', errors: { newPassword: ['A password needs at least 12 characters.'] } };
        vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(problem), { status: 400 })));
        expect(await changeOwnPassword('', 'x', 'short')).toEqual({ ok: false, message: 'A password needs at least 12 characters.' });
    });
});
