/** The dashboard's configuration, validated once at start so a bad build fails loudly, not later. */
export interface Env {
  /** Base URL of the FleetHealth API; empty means same origin (the server serves the dashboard). */
  apiBase: string;
}

export function parseEnv(raw: Record<string, unknown>): Env {
  const apiBase = raw.VITE_API_BASE ?? '';
  if (typeof apiBase !== 'string') {
    throw new Error('VITE_API_BASE must be a string');
  }
  if (apiBase !== '' && !/^https?:\/\/[^/]+(\/.*)?$/.test(apiBase)) {
    throw new Error(`VITE_API_BASE must be empty or an http(s) URL, got "${apiBase}"`);
  }
  return { apiBase: apiBase.replace(/\/+$/, '') };
}

export const env: Env = parseEnv(import.meta.env);
