import { apiFetch, jsonBody, problemMessage } from '@/api/http';
const roles = ['viewer', 'operator', 'admin'];
export function parseOperator(body) {
    const o = body;
    if (typeof o?.user !== 'string' || !roles.includes(o.role))
        throw new Error('the server did not say who is signed in');
    return { user: o.user, role: o.role };
}
/** Operators and admins change sensors; viewers only look (the server enforces it either way). */
export const canOperate = (role) => role === 'operator' || role === 'admin';
export const isAdmin = (role) => role === 'admin';
/** The signed-in operator, or null when there is no session (a 401 here is an answer, not an event). */
export async function fetchCurrentOperator(apiBase, signal) {
    const response = await fetch(`${apiBase}/api/v1/auth/me`, { credentials: 'same-origin', signal });
    if (response.status === 401)
        return null;
    if (!response.ok)
        throw new Error(`HTTP ${response.status} asking who is signed in`);
    return parseOperator(await response.json());
}
/** Asks whether the session still stands; when it does not, the app hears it (a 401 event) and shows the sign-in page. */
export async function checkSession(apiBase) {
    await apiFetch(`${apiBase}/api/v1/auth/me`);
}
/** What to tell someone whose sign-in failed; never which of name or password was wrong. */
export function signInFailure(status, body, retryAfter) {
    if (status === 401)
        return 'Wrong user name or password.';
    if (status === 429)
        return throttledMessage(retryAfter);
    return problemMessage(status, body);
}
/** A 429 from a password check (sign-in or a password change: they share one throttle). */
export function throttledMessage(retryAfter) {
    const seconds = Number(retryAfter);
    return Number.isFinite(seconds) && seconds > 0 ? `Too many failed attempts; try again in ${seconds} s.` : 'Too many failed attempts; try again later.';
}
export async function signIn(apiBase, user, password) {
    const response = await fetch(`${apiBase}/api/v1/auth/login`, { credentials: 'same-origin', ...jsonBody('POST', { user, password }) });
    let body = null;
    try {
        body = await response.json();
    }
    catch { /* no body */ }
    return response.ok
        ? { ok: true, operator: parseOperator(body) }
        : { ok: false, message: signInFailure(response.status, body, response.headers.get('retry-after')) };
}
export async function signOut(apiBase) {
    await fetch(`${apiBase}/api/v1/auth/logout`, { method: 'POST', credentials: 'same-origin' });
}
