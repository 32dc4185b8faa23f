import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiFetch, onUnauthorized, problemMessage, UnauthorizedError } from './http';
afterEach(() => vi.unstubAllGlobals());
describe('apiFetch', () => {
    it('tells every listener about a 401 and fails the call', async () => {
        vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 401 })));
        const heard = vi.fn();
        const stop = onUnauthorized(heard);
        await expect(apiFetch('/api/v1/sensors')).rejects.toBeInstanceOf(UnauthorizedError);
        expect(heard).toHaveBeenCalledTimes(1);
        stop();
        await expect(apiFetch('/api/v1/sensors')).rejects.toBeInstanceOf(UnauthorizedError);
        expect(heard).toHaveBeenCalledTimes(1);
    });
    it('passes other answers through, 403 included, and sends the cookie same-origin', async () => {
        const fetchMock = vi.fn(async () => new Response('{}', { status: 403 }));
        vi.stubGlobal('fetch', fetchMock);
        const heard = vi.fn();
        const stop = onUnauthorized(heard);
        const response = await apiFetch('/api/v1/operators', { method: 'POST' });
        expect(response.status).toBe(403);
        expect(heard).not.toHaveBeenCalled();
        expect(fetchMock).toHaveBeenCalledWith('/api/v1/operators', { credentials: 'same-origin', method: 'POST' });
        stop();
    });
});
describe('problemMessage', () => {
    it('prefers field errors, then detail, then title, then the status', () => {
        expect(problemMessage(400, { title: 'Bad', errors: { name: ['Name is empty.'], tag: ['Bad tag.'] } })).toBe('Name is empty. Bad tag.');
        expect(problemMessage(409, { title: 'Exists', detail: 'An operator exists.' })).toBe('An operator exists.');
        expect(problemMessage(403, { title: 'Forbidden' })).toBe('Forbidden');
        expect(problemMessage(502, '<html>')).toBe('HTTP 502');
        expect(problemMessage(500, null)).toBe('HTTP 500');
    });
});
