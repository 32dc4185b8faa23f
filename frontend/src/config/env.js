export function parseEnv(raw) {
    const apiBase = raw.VITE_API_BASE ?? '';
    if (typeof apiBase !== 'string') {
        throw new Error('VITE_API_BASE must be a string');
    }
    if (apiBase !== '' && !/^https?:\/\/[^/]+(\/.*)?$/.test(apiBase)) {
        throw new Error(`VITE_API_BASE must be empty or an http(s) URL, got "${apiBase}"`);
    }
    return { apiBase: apiBase.replace(/\/+$/, '') };
}
export const env = parseEnv(import.meta.env);
