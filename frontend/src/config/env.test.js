import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';
describe('parseEnv', () => {
    it('defaults to the same origin', () => {
        expect(parseEnv({})).toEqual({ apiBase: '' });
    });
    it('keeps an http URL without its trailing slash', () => {
        expect(parseEnv({ VITE_API_BASE: 'http://127.0.0.1:8080/' })).toEqual({ apiBase: 'http://127.0.0.1:8080' });
    });
    it('refuses something that is not a URL', () => {
        expect(() => parseEnv({ VITE_API_BASE: 'localhost:8080' })).toThrow(/http\(s\) URL/);
    });
});
