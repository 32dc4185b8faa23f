import { afterEach, describe, expect, it, vi } from 'vitest';
import { canOperate, fetchCurrentOperator, isAdmin, parseOperator, signIn, signInFailure } from './session';
afterEach(() => vi.unstubAllGlobals());
describe('roles', () => {
    it('lets operators and admins operate, and only admins administer', () => {
        expect([canOperate('viewer'), canOperate('operator'), canOperate('admin')]).toEqual([false, true, true]);
        expect([isAdmin('viewer'), isAdmin('operator'), isAdmin('admin')]).toEqual([false, false, true]);
    });
    it('refuses an answer with an unknown role', () => {
        expect(parseOperator({ user: 'ann', role: 'admin' })).toEqual({ user: 'ann', role: 'admin' });
        expect(() => parseOperator({ user: 'ann', role: 'root' })).toThrow(/who is signed in/);
        expect(() => parseOperator(null)).toThrow();
    });
});
describe('signInFailure', () => {
    it('never says which part was wrong', () => {
        expect(signInFailure(401, { detail: 'anything the server says' }, null)).toBe('Wrong user name or password.');
    });
    it('says how long to wait when throttled', () => {
        expect(signInFailure(429, null, '42')).toBe('Too many failed attempts; try again in 42 s.');
        expect(signInFailure(429, null, null)).toBe('Too many failed attempts; try again later.');
    });
    it('names the field of a bad request', () => {
        expect(signInFailure(400, { errors: { user: ['Send your user name.'] } }, null)).toBe('Send your user name.');
    });
});
describe('session calls', () => {
    it('reads no session as null, not as an error', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 401 })));
        expect(await fetchCurrentOperator('')).toBeNull();
    });
    it('signs in with a JSON body and reads who is signed in', async () => {
        const fetchMock = vi.fn(async () => new Response(JSON.stringify({ user: 'ann', role: 'viewer' }), { status: 200 }));
        vi.stubGlobal('fetch', fetchMock);
        expect(await signIn('http://x', 'ann', 'secret phrase')).toEqual({ ok: true, operator: { user: 'ann', role: 'viewer' } });
        const [url, init] = fetchMock.mock.calls[0];
        expect(url).toBe('http://x/api/v1/auth/login');
        expect(init.method).toBe('POST');
        expect(JSON.parse(init.body)).toEqual({ user: 'ann', password: 'secret phrase' });
        expect(init.headers['content-type']).toBe('application/json');
    });
    it('turns a throttled sign-in into a message with the wait', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 429, headers: { 'retry-after': '60' } })));
        expect(await signIn('', 'ann', 'x')).toEqual({ ok: false, message: 'Too many failed attempts; try again in 60 s.' });
    });
});
