export function parseReadiness(body) {
    if (typeof body !== 'object' || body === null || typeof body.status !== 'string') {
        throw new Error('readiness answer has no status');
    }
    return body;
}
export async function fetchReadiness(apiBase, signal) {
    const response = await fetch(`${apiBase}/readyz`, { signal });
    return parseReadiness(await response.json());
}
