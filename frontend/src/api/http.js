/**
 * The one way features call the operator API. The session is an HttpOnly cookie the browser sends
 * by itself (same origin); a 401 from any call means it is missing or over, so every listener
 * (the app: back to the sign-in page) hears of it, and the call fails with UnauthorizedError.
 */
export class UnauthorizedError extends Error {
    constructor(url) {
        super(`Not signed in (401 for ${url})`);
        this.name = 'UnauthorizedError';
    }
}
const listeners = new Set();
/** Calls `listener` on every 401; returns the unsubscribe function. */
export function onUnauthorized(listener) {
    listeners.add(listener);
    return () => { listeners.delete(listener); };
}
export async function apiFetch(url, init = {}) {
    const response = await fetch(url, { credentials: 'same-origin', ...init });
    if (response.status === 401) {
        for (const listener of [...listeners])
            listener();
        throw new UnauthorizedError(url);
    }
    return response;
}
/** A JSON request body with its content type. */
export function jsonBody(method, body) {
    return { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
/**
 * A sentence for a failed answer: the problem details' field errors, else its detail or title,
 * else the status. Never throws (a body that is not problem JSON just gives the status).
 */
export function problemMessage(status, body) {
    const problem = (typeof body === 'object' && body !== null ? body : {});
    if (typeof problem.errors === 'object' && problem.errors !== null) {
        const messages = Object.values(problem.errors).flatMap((v) => (Array.isArray(v) ? v : [])).filter((m) => typeof m === 'string');
        if (messages.length > 0)
            return messages.join(' ');
    }
    if (typeof problem.detail === 'string' && problem.detail)
        return problem.detail;
    if (typeof problem.title === 'string' && problem.title)
        return problem.title;
    return `HTTP ${status}`;
}
/** Reads a failed response's body into {@link problemMessage}. */
export async function responseProblem(response) {
    let body = null;
    try {
        body = await response.json();
    }
    catch { /* not JSON */ }
    return problemMessage(response.status, body);
}
